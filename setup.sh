#!/usr/bin/env bash
# Install what lessonpack needs on a Debian machine: system libraries and fonts for PDFs,
# then the Python package. `./setup.sh --test` adds the test tools (Chromium, poppler, Java,
# LibreOffice Impress, and
# axe-core + vnu-jar from npm; Playwright for Python drives Debian's Chromium).
# Idempotent: packages already present are not fetched again.
set -euo pipefail
cd "$(dirname "$0")"

apt_packages=(
  libharfbuzz-subset0   # fast, reproducible font subsetting in WeasyPrint (rendering-notes.md)
  libpango-1.0-0 libpangoft2-1.0-0
  libcairo2             # cairosvg draws the pictograms of the PPTX decks
  fonts-noto-core       # Noto Sans (Latin), Noto Sans Thai, Noto Sans Arabic
  fonts-noto-cjk        # Noto Sans CJK KR (Hangul)
  gettext               # msgfmt --check for catalogues
)
if [[ "${1:-}" == "--test" ]]; then
  apt_packages+=(poppler-utils chromium)
  apt_packages+=(libreoffice-impress)  # a real client opens the PPTX decks (test_slides.py)
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "Installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The accessibility and HTML checks in the tests: Java runs the Nu HTML checker (vnu-jar), npm
# fetches it and axe-core (pinned in tests/.node/package-lock.json; install scripts off, so
# vnu-jar never downloads a Java of its own).
if [[ "${1:-}" == "--test" ]]; then
  tools=()
  command -v java >/dev/null || tools+=(default-jre-headless)
  command -v node >/dev/null || tools+=(nodejs)
  command -v npm >/dev/null || tools+=(npm)
  if ((${#tools[@]})); then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    echo "Installing Debian packages: ${tools[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null
  fi
  node_dir=tests/.node
  if [[ ! -f $node_dir/node_modules/axe-core/axe.min.js \
        || ! -f $node_dir/node_modules/vnu-jar/build/dist/vnu.jar \
        || $node_dir/package-lock.json -nt $node_dir/node_modules/.package-lock.json ]]; then
    echo "Installing axe-core and vnu-jar into $node_dir" >&2
    npm ci --prefix "$node_dir" --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
fi

extra=""; [[ "${1:-}" == "--test" ]] && extra="[test]"
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -e ".${extra}"
python3 -c "import lessonpack.printing.pdf as p; p.check_hb_subset()"
