// The memblock script interpreter: parse a line, call the memblock function
// it names, print what Linux's own test harness would let one observe.
#include "ptsim/kernel/mm/memblock_script.h"

#include <fmt/format.h>

#include <array>
#include <istream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "ptsim/error.h"

namespace ptsim::kernel {
namespace {

// The build configuration of tools/testing/memblock with `make NUMA=1`.
constexpr int kHarnessMaxNumnodes = 16;  // CONFIG_NODES_SHIFT=4
constexpr phys_addr_t kHarnessPageSize = 4096;

// What a field of an operation holds; decides how it is parsed.
enum class Field {
  phys,   // an address, size, alignment or limit: a phys_addr_t
  nid,    // a node id: an int, may be negative
  flags,  // memblock_flags, optional (default 0)
  bit,    // 0 or 1
};

enum class Op {
  reset,
  add,
  add_node,
  remove,
  reserve,
  free,
  mark_nomap,
  clear_nomap,
  mark_hotplug,
  clear_hotplug,
  mark_mirror,
  set_node,
  bottom_up,
  set_current_limit,
  allow_resize,
  movable_node,
  mirrored_kernelcore,
  alloc,
  alloc_range,
  alloc_nid,
  alloc_try_nid,
  alloc_try_nid_raw,
  alloc_exact_nid_raw,
  mem_limit_remove_map,
  cap_memory_range,
  enforce_memory_limit,
  trim_memory,
  dump,
};

struct OpSpec {
  std::string_view name;
  Op op;
  std::vector<Field> fields;
  std::string_view usage;
};

const std::vector<OpSpec>& op_specs() {
  using F = Field;
  static const std::vector<OpSpec> specs = {
      {"reset", Op::reset, {}, "reset"},
      {"add", Op::add, {F::phys, F::phys}, "add BASE SIZE"},
      {"add_node",
       Op::add_node,
       {F::phys, F::phys, F::nid, F::flags},
       "add_node BASE SIZE NID [FLAGS]"},
      {"remove", Op::remove, {F::phys, F::phys}, "remove BASE SIZE"},
      {"reserve", Op::reserve, {F::phys, F::phys}, "reserve BASE SIZE"},
      {"free", Op::free, {F::phys, F::phys}, "free BASE SIZE"},
      {"mark_nomap", Op::mark_nomap, {F::phys, F::phys}, "mark_nomap BASE SIZE"},
      {"clear_nomap", Op::clear_nomap, {F::phys, F::phys}, "clear_nomap BASE SIZE"},
      {"mark_hotplug", Op::mark_hotplug, {F::phys, F::phys}, "mark_hotplug BASE SIZE"},
      {"clear_hotplug", Op::clear_hotplug, {F::phys, F::phys}, "clear_hotplug BASE SIZE"},
      {"mark_mirror", Op::mark_mirror, {F::phys, F::phys}, "mark_mirror BASE SIZE"},
      {"set_node", Op::set_node, {F::phys, F::phys, F::nid}, "set_node BASE SIZE NID"},
      {"bottom_up", Op::bottom_up, {F::bit}, "bottom_up 0|1"},
      {"set_current_limit", Op::set_current_limit, {F::phys}, "set_current_limit LIMIT"},
      {"allow_resize", Op::allow_resize, {}, "allow_resize"},
      {"movable_node", Op::movable_node, {F::bit}, "movable_node 0|1"},
      {"mirrored_kernelcore", Op::mirrored_kernelcore, {F::bit}, "mirrored_kernelcore 0|1"},
      {"alloc", Op::alloc, {F::phys, F::phys}, "alloc SIZE ALIGN"},
      {"alloc_range",
       Op::alloc_range,
       {F::phys, F::phys, F::phys, F::phys},
       "alloc_range SIZE ALIGN MIN MAX"},
      {"alloc_nid", Op::alloc_nid, {F::phys, F::phys, F::nid}, "alloc_nid SIZE ALIGN NID"},
      {"alloc_try_nid",
       Op::alloc_try_nid,
       {F::phys, F::phys, F::phys, F::phys, F::nid},
       "alloc_try_nid SIZE ALIGN MIN MAX NID"},
      {"alloc_try_nid_raw",
       Op::alloc_try_nid_raw,
       {F::phys, F::phys, F::phys, F::phys, F::nid},
       "alloc_try_nid_raw SIZE ALIGN MIN MAX NID"},
      {"alloc_exact_nid_raw",
       Op::alloc_exact_nid_raw,
       {F::phys, F::phys, F::phys, F::phys, F::nid},
       "alloc_exact_nid_raw SIZE ALIGN MIN MAX NID"},
      {"mem_limit_remove_map", Op::mem_limit_remove_map, {F::phys}, "mem_limit_remove_map LIMIT"},
      {"cap_memory_range", Op::cap_memory_range, {F::phys, F::phys}, "cap_memory_range BASE SIZE"},
      {"enforce_memory_limit", Op::enforce_memory_limit, {F::phys}, "enforce_memory_limit LIMIT"},
      {"trim_memory", Op::trim_memory, {F::phys}, "trim_memory ALIGN"},
      {"dump", Op::dump, {}, "dump"},
  };
  return specs;
}

const OpSpec* find_op(std::string_view name) {
  for (const OpSpec& spec : op_specs()) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

// A parsed number: its magnitude and sign, before it is fitted to a field.
struct Number {
  uint64_t magnitude = 0;
  bool negative = false;
};

std::optional<Number> symbol_value(std::string_view word, int max_numnodes) {
  struct Symbol {
    std::string_view name;
    Number value;
  };
  const std::array<Symbol, 10> symbols = {{
      {"ANYWHERE", {~uint64_t{0}, false}},  // MEMBLOCK_ALLOC_ANYWHERE, all ones
      {"ACCESSIBLE", {MEMBLOCK_ALLOC_ACCESSIBLE, false}},
      {"NOLEAKTRACE", {MEMBLOCK_ALLOC_NOLEAKTRACE, false}},
      {"NUMA_NO_NODE", {1, true}},
      {"MAX_NUMNODES", {static_cast<uint64_t>(max_numnodes), false}},
      {"MEMBLOCK_NONE", {MEMBLOCK_NONE, false}},
      {"MEMBLOCK_HOTPLUG", {MEMBLOCK_HOTPLUG, false}},
      {"MEMBLOCK_MIRROR", {MEMBLOCK_MIRROR, false}},
      {"MEMBLOCK_NOMAP", {MEMBLOCK_NOMAP, false}},
      {"MEMBLOCK_DRIVER_MANAGED", {MEMBLOCK_DRIVER_MANAGED, false}},
  }};
  for (const Symbol& s : symbols) {
    if (s.name == word) {
      return s.value;
    }
  }
  return std::nullopt;
}

// Decimal or 0x-hex, with an optional leading '-'; nullopt if malformed or
// beyond 64 bits.
std::optional<Number> parse_number(std::string_view word, int max_numnodes) {
  if (auto symbol = symbol_value(word, max_numnodes)) {
    return symbol;
  }
  Number n;
  if (!word.empty() && word.front() == '-') {
    n.negative = true;
    word.remove_prefix(1);
  }
  unsigned base = 10;
  if (word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) {
    base = 16;
    word.remove_prefix(2);
  }
  if (word.empty()) {
    return std::nullopt;
  }
  for (const char c : word) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (n.magnitude > (~uint64_t{0} - digit) / base) {
      return std::nullopt;
    }
    n.magnitude = n.magnitude * base + digit;
  }
  return n;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r')) {
      pos++;
    }
    size_t end = pos;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') {
      end++;
    }
    if (end > pos) {
      words.push_back(line.substr(pos, end - pos));
    }
    pos = end;
  }
  return words;
}

// One operation with its arguments fitted to their fields: phys fields in
// `phys`, nid/flags/bit fields in `ints`, each in field order.
struct Command {
  const OpSpec* spec = nullptr;
  std::vector<phys_addr_t> phys;
  std::vector<int64_t> ints;
};

[[noreturn]] void malformed(size_t line_no, const std::string& what) {
  throw bad_input(fmt::format("memblock script line {}: {}", line_no, what));
}

int64_t fit_int(const Number& n, Field field, std::string_view word, const OpSpec& spec,
                size_t line_no) {
  const std::string_view what = field == Field::nid ? "a node id" : "flags";
  if (field == Field::bit) {
    if (n.negative || n.magnitude > 1) {
      malformed(line_no, fmt::format("expected 0 or 1, got '{}' (usage: {})", word, spec.usage));
    }
    return static_cast<int64_t>(n.magnitude);
  }
  if (field == Field::nid) {
    const uint64_t limit = n.negative ? uint64_t{1} << 31 : (uint64_t{1} << 31) - 1;
    if (n.magnitude > limit) {
      malformed(line_no,
                fmt::format("'{}' is out of range for {} (usage: {})", word, what, spec.usage));
    }
    return n.negative ? -static_cast<int64_t>(n.magnitude) : static_cast<int64_t>(n.magnitude);
  }
  if (n.negative || n.magnitude > 0xffffffffULL) {
    malformed(line_no,
              fmt::format("'{}' is out of range for {} (usage: {})", word, what, spec.usage));
  }
  return static_cast<int64_t>(n.magnitude);
}

// Parses one non-empty, comment-free line; throws bad_input naming the line.
Command parse_command(const std::vector<std::string_view>& words, size_t line_no,
                      int max_numnodes) {
  Command cmd;
  cmd.spec = find_op(words[0]);
  if (cmd.spec == nullptr) {
    malformed(line_no, fmt::format("unknown operation '{}'", words[0]));
  }
  const OpSpec& spec = *cmd.spec;
  const size_t given = words.size() - 1;
  const size_t optional = !spec.fields.empty() && spec.fields.back() == Field::flags ? 1 : 0;
  if (given > spec.fields.size() || given + optional < spec.fields.size()) {
    malformed(line_no, fmt::format("expected '{}', got {} argument{}", spec.usage, given,
                                   given == 1 ? "" : "s"));
  }
  for (size_t i = 0; i < spec.fields.size(); i++) {
    const Field field = spec.fields[i];
    if (i >= given) {
      cmd.ints.push_back(0);  // FLAGS default to 0
      continue;
    }
    const std::string_view word = words[i + 1];
    const std::optional<Number> n = parse_number(word, max_numnodes);
    if (!n) {
      malformed(line_no, fmt::format("expected a number for argument {} of '{}', got '{}'", i + 1,
                                     spec.usage, word));
    }
    if (field == Field::phys) {
      if (n->negative) {
        malformed(line_no, fmt::format("argument {} of '{}' cannot be negative, got '{}'", i + 1,
                                       spec.usage, word));
      }
      cmd.phys.push_back(n->magnitude);
      continue;
    }
    cmd.ints.push_back(fit_int(*n, field, word, spec, line_no));
  }
  return cmd;
}

// Executes one command; returns false when the script must stop.
class Runner {
 public:
  Runner(std::ostream& out, const MemblockScriptOptions& options)
      : out_(out), mb_(make_config(options), make_hooks(out, options)) {}

  Memblock& memblock() { return mb_; }

  void run(const Command& cmd) {
    // Passing a number as a phys_addr_t truncates it to the type's width.
    std::vector<phys_addr_t> p = cmd.phys;
    for (phys_addr_t& value : p) {
      value &= mb_.phys_addr_max();
    }
    const auto nid = [&](size_t i) { return static_cast<int>(cmd.ints[i]); };
    const std::string_view name = cmd.spec->name;
    switch (cmd.spec->op) {
      case Op::reset:
        return mb_.reset();
      case Op::add:
        return check(name, mb_.memblock_add(p[0], p[1], kCaller));
      case Op::add_node:
        return check(name, mb_.memblock_add_node(p[0], p[1], nid(0),
                                                 static_cast<unsigned>(cmd.ints[1]), kCaller));
      case Op::remove:
        return check(name, mb_.memblock_remove(p[0], p[1], kCaller));
      case Op::reserve:
        return check(name, mb_.memblock_reserve(p[0], p[1], kCaller));
      case Op::free:
        return check(name, mb_.memblock_phys_free(p[0], p[1], kCaller));
      case Op::mark_nomap:
        return check(name, mb_.memblock_mark_nomap(p[0], p[1]));
      case Op::clear_nomap:
        return check(name, mb_.memblock_clear_nomap(p[0], p[1]));
      case Op::mark_hotplug:
        return check(name, mb_.memblock_mark_hotplug(p[0], p[1]));
      case Op::clear_hotplug:
        return check(name, mb_.memblock_clear_hotplug(p[0], p[1]));
      case Op::mark_mirror:
        return check(name, mb_.memblock_mark_mirror(p[0], p[1]));
      case Op::set_node:
        return check(name, mb_.memblock_set_node(p[0], p[1], mb_.memory(), nid(0)));
      case Op::bottom_up:
        return mb_.memblock_set_bottom_up(cmd.ints[0] != 0);
      case Op::set_current_limit:
        return mb_.memblock_set_current_limit(p[0]);
      case Op::allow_resize:
        return mb_.memblock_allow_resize();
      case Op::movable_node:
        return mb_.set_movable_node(cmd.ints[0] != 0);
      case Op::mirrored_kernelcore:
        return mb_.set_mirrored_kernelcore(cmd.ints[0] != 0);
      case Op::alloc:
        return allocated(mb_.memblock_phys_alloc(p[0], p[1], kCaller));
      case Op::alloc_range:
        return allocated(mb_.memblock_phys_alloc_range(p[0], p[1], p[2], p[3], kCaller));
      case Op::alloc_nid:
        return allocated(mb_.memblock_phys_alloc_try_nid(p[0], p[1], nid(0)));
      case Op::alloc_try_nid:
        return allocated(mb_.memblock_alloc_try_nid(p[0], p[1], p[2], p[3], nid(0), kCaller));
      case Op::alloc_try_nid_raw:
        return allocated(mb_.memblock_alloc_try_nid_raw(p[0], p[1], p[2], p[3], nid(0), kCaller));
      case Op::alloc_exact_nid_raw:
        return allocated(mb_.memblock_alloc_exact_nid_raw(p[0], p[1], p[2], p[3], nid(0), kCaller));
      case Op::mem_limit_remove_map:
        return mb_.memblock_mem_limit_remove_map(p[0]);
      case Op::cap_memory_range:
        return mb_.memblock_cap_memory_range(p[0], p[1]);
      case Op::enforce_memory_limit:
        return mb_.memblock_enforce_memory_limit(p[0]);
      case Op::trim_memory:
        return mb_.memblock_trim_memory(p[0]);
      case Op::dump:
        out_ << memblock_script_dump(mb_);
        return;
    }
  }

 private:
  // What %pS prints for calls made by the script in memblock=debug lines.
  static constexpr std::string_view kCaller = "memblock_script";

  static MemblockConfig make_config(const MemblockScriptOptions& options) {
    MemblockConfig config;
    config.smp_cache_bytes = options.smp_cache_bytes;
    config.max_numnodes = kHarnessMaxNumnodes;
    config.numa = options.numa;
    config.page_size = kHarnessPageSize;
    config.phys_addr_bits = options.phys_addr_bits;
    return config;
  }

  static MemblockHooks make_hooks(std::ostream& out, const MemblockScriptOptions& options) {
    MemblockHooks hooks;
    hooks.warn = [&out](const std::string& text) { out << "warn: " << text << '\n'; };
    if (options.trace != nullptr) {
      std::ostream* trace = options.trace;
      hooks.dbg = [trace](const std::string& line) { *trace << line << '\n'; };
      hooks.printk = hooks.dbg;
    }
    return hooks;
  }

  void check(std::string_view op, int rc) {
    if (rc != 0) {
      out_ << "error: " << op << " -> " << rc << '\n';
    }
  }

  void allocated(phys_addr_t addr) { out_ << fmt::format("alloc -> {:#x}\n", addr); }

  std::ostream& out_;
  Memblock mb_;
};

}  // namespace

std::string memblock_script_dump(const Memblock& mb) {
  std::string out;
  for (const memblock_type* type : {&mb.memory(), &mb.reserved()}) {
    out += fmt::format("{}.cnt={} total={:#x}\n", type->name, type->cnt, type->total_size);
    for (unsigned long i = 0; i < type->cnt; i++) {
      const memblock_region& r = type->regions[i];
      out += fmt::format("{}[{}] base={:#x} size={:#x} flags={:#x} nid={}\n", type->name, i, r.base,
                         r.size, r.flags, r.nid);
    }
  }
  return out;
}

MemblockScriptResult run_memblock_script(std::istream& in, std::ostream& out,
                                         const MemblockScriptOptions& options) {
  if (options.smp_cache_bytes == 0) {
    throw bad_input("SMP_CACHE_BYTES must not be 0: it replaces an align of 0");
  }
  Runner runner(out, options);
  MemblockScriptResult result;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    line_no++;
    std::string_view text = line;
    if (const size_t hash = text.find('#'); hash != std::string_view::npos) {
      text = text.substr(0, hash);
    }
    const std::vector<std::string_view> words = split_fields(text);
    if (words.empty()) {
      continue;
    }
    const Command cmd = parse_command(words, line_no, runner.memblock().config().max_numnodes);
    try {
      runner.run(cmd);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::linux_panic) {
        throw;
      }
      result.stopped_by = e.what();
      out << result.stopped_by << '\n';
      break;
    }
  }
  out << memblock_script_dump(runner.memblock());
  result.memory = runner.memblock().memory();
  result.reserved = runner.memblock().reserved();
  return result;
}

}  // namespace ptsim::kernel
