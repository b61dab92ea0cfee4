#include "ptsim/report/html/page.h"

#include <fmt/format.h>

#include <array>

#include "report/html/page_assets.h"

namespace ptsim::report::html {
namespace {

// `text` with '<', '>' and '&' replaced by the three strings given.
std::string escaped(const std::string& text, const std::array<const char*, 3>& by) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const size_t i = c == '<' ? 0 : c == '>' ? 1 : c == '&' ? 2 : 3;
    if (i < 3) {
      out += by[i];
      continue;
    }
    out += c;
  }
  return out;
}

// The page: a header with the controls, a panel per map, the details of
// the selected range, the legend; then the data and the script that draws
// everything from it.
std::string page(const nlohmann::json& data, const std::string& title) {
  return fmt::format(
      R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{0}</title>
<style>{1}</style>
</head>
<body data-scale="log">
<svg id="ns-probe" width="0" height="0" aria-hidden="true"></svg>
<header>
  <h1 id="title">{0}</h1>
  <div class="controls">
    <button id="scale-toggle" type="button">Scale: log</button>
    <button id="zoom-out" type="button" disabled>Whole address space</button>
    <span id="zoom-label"></span>
  </div>
  <ul id="notes"></ul>
</header>
<div id="layout">
  <main id="maps"></main>
  <aside id="details">
    <h2>Selected range</h2>
    <div id="selection">Click a mapping in the virtual address column to see its table walk.</div>
    <table id="walk"></table>
    <div id="diff-list"></div>
    <h2>Legend</h2>
    <div id="legend"></div>
  </aside>
</div>
<script type="application/json" id="ptsim-data">{2}</script>
<script>{3}</script>
</body>
</html>
)",
      escaped(title, {"&lt;", "&gt;", "&amp;"}), kPageStyle, script_safe_json(data), kPageScript);
}

}  // namespace

std::string script_safe_json(const nlohmann::json& data) {
  return escaped(data.dump(), {"\\u003c", "\\u003e", "\\u0026"});
}

std::string map_html(const MapModel& model) {
  const nlohmann::json data = {{"maps", {map_model_json(model)}}};
  return page(data, fmt::format("{} — memory map", model.title));
}

std::string diff_html(const MapModel& a, const MapModel& b, const nlohmann::ordered_json& diff) {
  nlohmann::json ma = map_model_json(a);
  nlohmann::json mb = map_model_json(b);
  ma["title"] = "A: " + diff["a"]["options"].get<std::string>();
  mb["title"] = "B: " + diff["b"]["options"].get<std::string>();
  const nlohmann::json data = {
      {"maps", {ma, mb}}, {"diff", {{"ranges", nlohmann::json::parse(diff["ranges"].dump())}}}};
  return page(data, "ptsim diff — memory maps");
}

}  // namespace ptsim::report::html
