// Looking up a built-in entry (machine or kernel image preset) by name.
#pragma once

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ptsim/error.h"

namespace ptsim::machine {

// The entry called `name`; bad_input naming `what` and the known names if none.
template <class T>
const T& find_by_name(const std::vector<T>& all, std::string_view name, std::string_view what) {
  std::vector<std::string_view> names;
  for (const T& entry : all) {
    if (entry.name == name) {
      return entry;
    }
    names.push_back(entry.name);
  }
  throw bad_input(fmt::format("no {} '{}' (known: {})", what, name, fmt::join(names, ", ")));
}

}  // namespace ptsim::machine
