#!/bin/sh
# Development-time front-end build. Needs Node (npm ci first); its outputs are committed,
# so neither the run time nor CI needs Node for CSS/JS.
#   npm ci && npm run build:assets
set -eu
cd "$(dirname "$0")/.."

GOVUK=node_modules/govuk-frontend/dist/govuk
STATIC=internal/web/static

if [ ! -d "$GOVUK" ]; then
  echo "build-assets: $GOVUK missing; run 'npm ci' first" >&2
  exit 1
fi

mkdir -p "$STATIC/govuk"

npx --no-install sass --style=compressed --no-source-map --pkg-importer=node \
  scss/app.scss "$STATIC/app.css"

cp "$GOVUK/govuk-frontend.min.js" "$STATIC/govuk/govuk-frontend.min.js"

# The npm package ships no LICENSE file; keep the upstream MIT notice with the vendored JS.
version=$(node -p "require('./node_modules/govuk-frontend/package.json').version")
cat > "$STATIC/govuk/LICENSE.txt" <<LICENSE
govuk-frontend $version (https://github.com/alphagov/govuk-frontend), files:
govuk-frontend.min.js (copied unmodified) and ../app.css (compiled from its Sass).

The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENSE

# Guard: no Crown typeface may end up in the CSS.
if grep -q -e "GDS Transport" -e "@font-face" "$STATIC/app.css"; then
  echo "build-assets: $STATIC/app.css contains GDS Transport or @font-face" >&2
  exit 1
fi

echo "build-assets: wrote $STATIC/app.css ($(wc -c <"$STATIC/app.css") bytes), $STATIC/govuk/govuk-frontend.min.js, $STATIC/govuk/LICENSE.txt"
