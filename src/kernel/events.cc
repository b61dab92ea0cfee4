#include "ptsim/kernel/events.h"

#include <algorithm>

#include <fmt/format.h>

namespace ptsim::kernel {

KernelBug::KernelBug(std::string_view where, std::string_view condition)
    : Error(ErrorKind::linux_panic,
            fmt::format("Linux would BUG() here: BUG_ON({}) in {}", condition, where)) {}

KernelPanic::KernelPanic(std::string_view message)
    : Error(ErrorKind::linux_panic, fmt::format("Kernel panic - not syncing: {}", message)) {}

void KernelLog::warn(std::string_view where, std::string_view condition) {
  messages_.push_back({KernelMessage::Kind::warning, std::string(where), std::string(condition)});
}

void KernelLog::info(std::string_view where, std::string_view text) {
  messages_.push_back({KernelMessage::Kind::info, std::string(where), std::string(text)});
}

size_t KernelLog::warning_count() const {
  return static_cast<size_t>(std::count_if(messages_.begin(), messages_.end(), [](const KernelMessage& m) {
    return m.kind == KernelMessage::Kind::warning;
  }));
}

}  // namespace ptsim::kernel
