// The one-file interactive HTML memory map: HTML, CSS, script and data in a
// single page that needs no network.  The data is map_model_json() of one
// map (map_html) or of two and the ranges mapped differently (diff_html),
// embedded as a JSON script element.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ptsim/report/html/map_model.h"

namespace ptsim::report::html {

std::string map_html(const MapModel& model);

// Both maps side by side, `diff` being arm64_boot_diff_json(): its
// "ranges" are highlighted on both.
std::string diff_html(const MapModel& a, const MapModel& b, const nlohmann::ordered_json& diff);

// JSON text that is safe inside a <script> element: '<', '>' and '&' are
// written as \u escapes, which JSON.parse reads back unchanged.
std::string script_safe_json(const nlohmann::json& data);

}  // namespace ptsim::report::html
