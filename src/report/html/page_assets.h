// The fixed parts of the HTML map page (page.cc): its style sheet and its
// script, kept as raw strings in page_style.cc and page_script.cc.
#pragma once

namespace ptsim::report::html {

extern const char* const kPageStyle;
extern const char* const kPageScript;

}  // namespace ptsim::report::html
