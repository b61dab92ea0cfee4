// Errors that carry where they came from: a file that cannot be opened,
// with the system's reason, and an error of a parser that read a stream,
// with the name of the file the stream was.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "ptsim/error.h"

namespace ptsim {

// "cannot open memory image 'ram.bin': No such file or directory": a file
// that cannot be opened, with the reason errno gives.
inline Error cannot_open(const std::string& what, const std::string& path) {
  return bad_input("cannot open " + what + " '" + path + "': " + std::strerror(errno));
}

// The same error with the input it came from in front: "bad.trace: trace line 2: ...".
inline Error in_source(const Error& e, const std::string& source) {
  return Error(e.kind(), source + ": " + e.what());
}

}  // namespace ptsim
