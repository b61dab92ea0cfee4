// Kernel command-line parsing with Linux 6.1's rules.
#include "ptsim/machine/cmdline.h"

#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/kernel/lib/cmdline.h"

namespace ptsim::machine {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return 99;
}

Error bad_value(std::string_view param, std::string_view value, std::string_view rule) {
  return bad_input(fmt::format("kernel command line: {}={} is not valid: {}", param, value, rule));
}

// memparse() of `value`: with `used`, of its start (*used says how far it
// read); without, of all of it, refusing anything after the size.
uint64_t whole_size(std::string_view param, std::string_view value, size_t* used = nullptr) {
  size_t n = 0;
  const uint64_t v = memparse(value, &n, param);
  if (used != nullptr) {
    *used = n;
    return v;
  }
  if (n != value.size()) {
    throw bad_value(
        param, value,
        fmt::format("'{}' follows the size; expected a number with an optional K, M, G, T, P or E "
                    "suffix (memparse)",
                    value.substr(n)));
  }
  return v;
}

// Models: kernel/crash_core.c parse_crashkernel_mem (v6.1), parsing only.
CrashKernel parse_crashkernel_ranges(std::string_view value) {
  CrashKernel ck;
  ck.kind = CrashKernel::Kind::ranges;
  std::string_view rest = value;
  constexpr std::string_view kRule = "ranges are start-[end]:size[,start-[end]:size...][@offset]";
  for (;;) {
    size_t n = 0;
    CrashKernelRange r;
    r.start = memparse(rest, &n, "crashkernel range start");
    rest.remove_prefix(n);
    if (rest.empty() || rest[0] != '-') {
      throw bad_value("crashkernel", value,
                      fmt::format("'-' expected after a range start; {}", kRule));
    }
    rest.remove_prefix(1);
    if (!rest.empty() && rest[0] != ':') {
      r.end = memparse(rest, &n, "crashkernel range end");
      rest.remove_prefix(n);
      if (*r.end <= r.start) {
        throw bad_value("crashkernel", value,
                        "a range's end must be above its start (crashkernel: end <= start)");
      }
    }
    if (rest.empty() || rest[0] != ':') {
      throw bad_value("crashkernel", value, fmt::format("':' expected after a range; {}", kRule));
    }
    rest.remove_prefix(1);
    r.size = memparse(rest, &n, "crashkernel size");
    rest.remove_prefix(n);
    ck.ranges.push_back(r);
    if (rest.empty()) {
      return ck;
    }
    if (rest[0] == '@') {
      ck.offset = whole_size("crashkernel", rest.substr(1));
      return ck;
    }
    if (rest[0] != ',') {
      throw bad_value("crashkernel", value,
                      fmt::format("',' or '@' expected after a size; {}", kRule));
    }
    rest.remove_prefix(1);
  }
}

// Models: kernel/crash_core.c parse_crashkernel, _simple and _suffix (v6.1), parsing only.
CrashKernel parse_crashkernel(std::string_view value) {
  if (value.find(':') != std::string_view::npos) {
    return parse_crashkernel_ranges(value);
  }
  CrashKernel ck;
  size_t n = 0;
  ck.size = whole_size("crashkernel", value, &n);
  const std::string_view tail = value.substr(n);
  if (tail == ",high" || tail == ",low") {
    ck.kind = tail == ",high" ? CrashKernel::Kind::high : CrashKernel::Kind::low;
    return ck;
  }
  if (!tail.empty() && tail[0] == '@') {
    ck.offset = whole_size("crashkernel", tail.substr(1));
    return ck;
  }
  if (!tail.empty()) {
    throw bad_value(
        "crashkernel", value,
        "expected size[@offset], size,high, size,low or start-[end]:size[,...][@offset]");
  }
  return ck;
}

// Models: lib/kstrtox.c kstrtobool (v6.1).
std::optional<bool> kstrtobool(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  switch (s[0]) {
    case 'y':
    case 'Y':
    case 't':
    case 'T':
    case '1':
      return true;
    case 'n':
    case 'N':
    case 'f':
    case 'F':
    case '0':
      return false;
    case 'o':
    case 'O':
      if (s.size() > 1 && (s[1] == 'n' || s[1] == 'N')) {
        return true;
      }
      if (s.size() > 1 && (s[1] == 'f' || s[1] == 'F')) {
        return false;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// Models: drivers/tty/serial/serial_core.c uart_parse_earlycon (v6.1).
Earlycon parse_earlycon(std::string_view value) {
  Earlycon e;
  e.from_stdout_path = value.empty();
  if (value.empty()) {
    return e;
  }
  const size_t comma = value.find(',');
  e.name = std::string(value.substr(0, comma));
  if (comma == std::string_view::npos) {
    return e;
  }
  std::string_view rest = value.substr(comma + 1);
  for (std::string_view iotype : {"mmio32native", "mmio32be", "mmio32", "mmio16", "mmio", "io"}) {
    if (rest.substr(0, iotype.size() + 1) == fmt::format("{},", iotype)) {
      e.iotype = std::string(iotype);
      rest.remove_prefix(iotype.size() + 1);
      break;
    }
  }
  const std::string_view address = rest.substr(0, rest.find(','));
  size_t n = 0;
  e.address = memparse(address, &n, "earlycon address");
  if (n != address.size()) {
    throw bad_value("earlycon", value,
                    "expected name,[iotype,]address[,options] with a numeric address");
  }
  if (address.size() < rest.size()) {
    e.options = std::string(rest.substr(address.size() + 1));
  }
  return e;
}

std::string value_or_empty(const Param& p) {
  return p.value.value_or("");
}

void apply(CommandLine& c, const Param& p) {
  const std::string v = value_or_empty(p);
  if (p.name == "mem") {
    if (!p.value) {
      c.notes.push_back("mem without a value: Linux ignores it");
      return;
    }
    size_t n = 0;
    MemParam m;
    m.size = whole_size("mem", v, &n);
    if (n < v.size() && v[n] == '@') {
      m.start = whole_size("mem", std::string_view(v).substr(n + 1));
    } else if (n != v.size()) {
      throw bad_value("mem", v, "expected size[@start], e.g. mem=512M or mem=256M@0x60000000");
    }
    c.mem.push_back(m);
    return;
  }
  if (p.name == "vmalloc") {
    c.vmalloc = whole_size("vmalloc", v);
    return;
  }
  if (p.name == "initrd") {
    if (v.empty() || digit_value(v[0]) > 9) {
      // A file name for a boot loader or the EFI stub, not an address.
      c.notes.push_back(
          fmt::format("initrd={} is not start,size: Linux's early_initrd ignores it", v));
      return;
    }
    size_t n = 0;
    const uint64_t start = whole_size("initrd", v, &n);
    if (n >= v.size() || v[n] != ',') {
      throw bad_value("initrd", v, "expected start,size, e.g. initrd=0x62000000,8M");
    }
    c.initrd = Range{start, whole_size("initrd", std::string_view(v).substr(n + 1))};
    return;
  }
  if (p.name == "rodata") {
    if (v == "full" || v == "on" || v == "off") {
      c.rodata = v == "full" ? Rodata::full : v == "on" ? Rodata::on : Rodata::off;
      return;
    }
    throw bad_value(
        "rodata", v,
        fmt::format("Linux 6.1 takes full, on or off (it would print \"Invalid option string for "
                    "rodata: '{}'\" and keep the default)",
                    v));
  }
  if (p.name == "memblock") {
    c.memblock_debug = c.memblock_debug || v.find("debug") != std::string::npos;
    return;
  }
  if (p.name == "crashkernel") {
    const CrashKernel ck = parse_crashkernel(v);
    auto& slot = ck.kind == CrashKernel::Kind::high  ? c.crashkernel_high
                 : ck.kind == CrashKernel::Kind::low ? c.crashkernel_low
                                                     : c.crashkernel;
    slot = ck;
    return;
  }
  if (p.name == "earlycon") {
    c.earlycon = parse_earlycon(v);
    return;
  }
  if (p.name == "kpti") {
    const auto b = kstrtobool(v);
    if (!b) {
      throw bad_value("kpti", v, "expected a boolean (kstrtobool: 1/0, y/n, on/off, true/false)");
    }
    c.kpti = b;
    return;
  }
  if (p.name != "nokaslr") {
    c.other.push_back(p);
  }
}

}  // namespace

uint64_t memparse(std::string_view text, size_t* used, std::string_view what) {
  // simple_strtoull with base 0: "0x" + hex digit is hex, a leading 0 octal.
  unsigned base = 10;
  size_t at = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') &&
      digit_value(text[2]) < 16) {
    base = 16;
    at = 2;
  } else if (!text.empty() && text[0] == '0') {
    base = 8;
  }
  if (at >= text.size() || digit_value(text[at]) >= static_cast<int>(base)) {
    throw bad_input(fmt::format(
        "kernel command line: {} '{}' is not a number (memparse: 0x hex, 0 octal or decimal, "
        "then K, M, G, T, P or E) (fix: e.g. {}=512M)",
        what, text, what));
  }
  uint64_t value = 0;
  for (; at < text.size() && digit_value(text[at]) < static_cast<int>(base); ++at) {
    const auto d = static_cast<uint64_t>(digit_value(text[at]));
    if (value > (UINT64_MAX - d) / base) {
      throw bad_input(fmt::format("kernel command line: {} '{}' overflows 64 bits", what, text));
    }
    value = value * base + d;
  }
  const unsigned shift = at < text.size() ? kernel::memparse_suffix_shift(text[at]) : 0;
  if (shift != 0) {
    ++at;
    if ((value >> (64 - shift)) != 0) {
      throw bad_input(fmt::format("kernel command line: {} '{}' overflows 64 bits", what, text));
    }
    value <<= shift;
  }
  *used = at;
  return value;
}

// Models: kernel/params.c next_arg and parse_args (v6.1), the splitting.
std::vector<Param> split_command_line(std::string_view text, std::string* rest) {
  std::vector<Param> out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n && is_space(text[i])) {
    ++i;
  }
  while (i < n) {
    bool quoted = false;
    if (text[i] == '"') {
      ++i;
      quoted = true;
    }
    bool in_quote = quoted;
    const size_t start = i;
    size_t equals = 0;  // 0: none, as in next_arg (a leading '=' does not count)
    size_t j = start;
    for (; j < n; ++j) {
      if (is_space(text[j]) && !in_quote) {
        break;
      }
      if (equals == 0 && text[j] == '=' && j > start) {
        equals = j;
      }
      if (text[j] == '"') {
        in_quote = !in_quote;
      }
    }
    std::string word(text.substr(start, j - start));
    if (quoted && !word.empty() && word.back() == '"') {
      word.pop_back();
    }
    Param p;
    if (equals == 0) {
      p.name = word;
    } else {
      const size_t eq = equals - start;
      p.name = word.substr(0, eq);
      std::string value = word.substr(std::min(eq + 1, word.size()));
      if (!value.empty() && value.front() == '"') {
        value.erase(0, 1);
        if (!value.empty() && value.back() == '"' && !quoted) {
          value.pop_back();
        }
      }
      p.value = value;
    }
    i = j;
    while (i < n && is_space(text[i])) {
      ++i;
    }
    if (!p.value && p.name == "--") {
      if (rest != nullptr) {
        *rest = std::string(text.substr(i));
      }
      return out;
    }
    out.push_back(std::move(p));
  }
  return out;
}

CommandLine parse_command_line(std::string_view text) {
  CommandLine c;
  c.text = std::string(text);
  c.params = split_command_line(text, &c.init_args);
  c.nokaslr = text.find("nokaslr") != std::string_view::npos;
  for (const Param& p : c.params) {
    apply(c, p);
  }
  return c;
}

std::string kernel_command_line(std::string_view bootargs, Arch arch) {
  return std::string(bootargs.substr(0, command_line_size(arch) - 1));
}

uint64_t CrashKernel::size_for(uint64_t system_ram) const {
  if (kind != Kind::ranges) {
    return size;
  }
  // Entries are tried in order; one whose size is not below the RAM size
  // fails the whole parameter ("crashkernel: invalid size").
  for (const CrashKernelRange& r : ranges) {
    if (r.size >= system_ram) {
      return 0;
    }
    if (system_ram >= r.start && (!r.end || system_ram < *r.end)) {
      return r.size;
    }
  }
  return 0;
}

}  // namespace ptsim::machine
