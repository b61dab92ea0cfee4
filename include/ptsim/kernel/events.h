// Linux's own failure reports as kernel events.
//
// BUG_ON() and panic() stop the kernel: they are thrown as KernelBug (an
// Error of kind linux_panic) with Linux's wording and the place it comes
// from.  WARN_ON() lets the kernel go on: it is recorded in a KernelLog,
// together with the pr_* lines a function prints, so reports can show them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ptsim/error.h"

namespace ptsim::kernel {

class KernelBug : public Error {
 public:
  // `where` is "<linux file> <function>", `condition` the BUG_ON text.
  KernelBug(std::string_view where, std::string_view condition);
};

// panic(): Linux's message, as it would print it.
class KernelPanic : public Error {
 public:
  explicit KernelPanic(std::string_view message);
};

struct KernelMessage {
  enum class Kind { warning, info };
  Kind kind;
  std::string where;  // "<linux file> <function>"
  std::string text;   // the WARN_ON condition or the printed line
};

class KernelLog {
 public:
  void warn(std::string_view where, std::string_view condition);
  void info(std::string_view where, std::string_view text);
  const std::vector<KernelMessage>& messages() const { return messages_; }
  size_t warning_count() const;

 private:
  std::vector<KernelMessage> messages_;
};

// BUG_ON(cond): throws KernelBug when `cond` holds.
inline void bug_on(bool cond, std::string_view where, std::string_view condition) {
  if (cond) {
    throw KernelBug(where, condition);
  }
}

// WARN_ON(cond): records a warning when `cond` holds and returns `cond`, so
// `if (warn_on(log, ...)) return;` reads as Linux's `if (WARN_ON(...)) return;`.
inline bool warn_on(KernelLog* log, bool cond, std::string_view where, std::string_view condition) {
  if (cond && log != nullptr) {
    log->warn(where, condition);
  }
  return cond;
}

}  // namespace ptsim::kernel
