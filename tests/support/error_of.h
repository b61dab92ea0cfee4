// Test helper: the message of the ptsim::Error a callable throws, checking
// that it is of the expected kind; a failure if it throws nothing.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "ptsim/error.h"

namespace ptsim::testing {

template <class F>
std::string error_of(F&& f, ErrorKind kind = ErrorKind::bad_input) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no ptsim::Error thrown";
  return "";
}

}  // namespace ptsim::testing
