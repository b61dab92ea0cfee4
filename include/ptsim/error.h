// Typed errors shared by every layer.
//
// Bad input (a malformed file, an impossible configuration, a request Linux
// would reject) is an Error carrying the kind and a message that names the
// value and the rule.  A modelled Linux BUG_ON/panic/WARN is a kernel event
// with Linux's own wording (see kernel/); it becomes an Error of kind
// linux_panic only when the model cannot go on.
#pragma once

#include <stdexcept>
#include <string>

namespace ptsim {

// Process exit codes, one per kind (documented in README and --help).
enum class ErrorKind : int {
  usage = 2,        // the command line itself is wrong
  bad_input = 3,    // an input file or value breaks a rule
  linux_panic = 4,  // Linux would BUG()/panic() here
  internal = 5,     // an invariant of ptsim itself failed
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }
  int exit_code() const { return static_cast<int>(kind_); }

 private:
  ErrorKind kind_;
};

inline Error bad_input(const std::string& message) { return Error(ErrorKind::bad_input, message); }
inline Error usage_error(const std::string& message) { return Error(ErrorKind::usage, message); }

}  // namespace ptsim
