// The HTML map's style sheet.  Colours: the permission of a mapping fills
// it; its memory type and its kind (block, page, contiguous) are the two
// narrow lanes beside it.
#include "report/html/page_assets.h"

namespace ptsim::report::html {

const char* const kPageStyle = R"CSS(
body { font: 13px/1.35 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f7f8fa; }
header { padding: 8px 16px; background: #243447; color: #fff; }
header h1 { font-size: 17px; margin: 2px 0 6px; }
.controls button { margin-right: 6px; }
#zoom-label { font-family: monospace; }
#notes { margin: 4px 0 0; padding-left: 18px; color: #ffd27f; }
#layout { display: flex; align-items: flex-start; }
#maps { display: flex; flex-wrap: wrap; gap: 12px; padding: 10px; }
body.diff #layout { flex-direction: column; }
body.diff #maps { flex-wrap: nowrap; overflow-x: auto; max-width: 100vw; box-sizing: border-box; }
body.diff #details { position: static; width: auto; max-height: none; }
.map-panel { background: #fff; border: 1px solid #ccd3dd; border-radius: 4px; padding: 6px; }
.map-panel h2 { font-size: 14px; margin: 2px 0; }
.map-panel .subtitle { color: #5a6678; margin: 0 0 4px; }
#details { position: sticky; top: 0; width: 420px; min-width: 320px; padding: 10px;
           max-height: 100vh; overflow-y: auto; }
#details h2 { font-size: 14px; margin: 8px 0 4px; }
#walk { border-collapse: collapse; font-family: monospace; font-size: 12px; margin-top: 6px; }
#walk th, #walk td { border: 1px solid #ccd3dd; padding: 2px 5px; text-align: left; white-space: nowrap; }
#walk th { background: #e8ecf2; }
svg text { font-family: monospace; font-size: 10px; fill: #1d2430; }
svg .axis-title { font-family: system-ui, sans-serif; font-size: 11px; font-weight: bold; }
.region-label { cursor: zoom-in; }
.region-label:hover { text-decoration: underline; }
.region { stroke: #aab4c3; stroke-width: 0.5; }
.gap { fill: #eef0f3; }
.mapping { cursor: pointer; stroke: rgba(0,0,0,0.25); stroke-width: 0.3; }
.mapping:hover, .mapping.selected { stroke: #000; stroke-width: 1.5; }
.link { pointer-events: none; }
.link.selected { opacity: 0.75 !important; }
.diff-range { fill: none; stroke: #e0245e; stroke-width: 2; pointer-events: none; }
.cost-bar { fill: #5b7db1; }
.legend-item { display: inline-block; margin: 1px 8px 1px 0; }
.swatch { display: inline-block; width: 12px; height: 10px; margin-right: 3px;
          border: 1px solid #889; vertical-align: middle; }
.diff-item { cursor: pointer; font-family: monospace; font-size: 11px; }
.diff-item:hover { background: #fde3ea; }
)CSS";

}  // namespace ptsim::report::html
