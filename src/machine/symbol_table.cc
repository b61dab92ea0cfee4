// Parsing System.map and /proc/kallsyms text into a symbol table.
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "machine/input_file.h"
#include "ptsim/error.h"
#include "ptsim/machine/kernel_image.h"

namespace ptsim::machine {
namespace {

// A line quoted in a message: at most 80 characters, control bytes escaped.
std::string quoted(std::string_view line) {
  std::string out;
  for (char ch : line.substr(0, 80)) {
    const auto c = static_cast<unsigned char>(ch);
    out += std::isprint(c) ? std::string(1, ch) : fmt::format("\\x{:02x}", c);
  }
  return line.size() > 80 ? out + "..." : out;
}

std::string_view next_field(std::string_view& rest) {
  size_t start = 0;
  while (start < rest.size() && (rest[start] == ' ' || rest[start] == '\t')) {
    ++start;
  }
  size_t end = start;
  while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t') {
    ++end;
  }
  const std::string_view field = rest.substr(start, end - start);
  rest.remove_prefix(end);
  return field;
}

// Symbol names are printable words; anything else means a wrong file.
bool printable(std::string_view name) {
  for (char ch : name) {
    if (!std::isgraph(static_cast<unsigned char>(ch))) {
      return false;
    }
  }
  return true;
}

bool parse_hex(std::string_view text, uint64_t& value) {
  if (text.empty() || text.size() > 16) {
    return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

SymbolTable SymbolTable::parse(std::string_view text, std::string_view source) {
  SymbolTable table{std::string(source)};
  size_t line_no = 0;
  bool any_nonzero = false;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    std::string_view rest = line;
    const std::string_view address = next_field(rest);
    if (address.empty()) {
      continue;  // a blank line
    }
    const std::string_view type = next_field(rest);
    const std::string_view name = next_field(rest);
    const std::string_view module = next_field(rest);
    const std::string_view extra = next_field(rest);
    uint64_t value = 0;
    const bool module_ok =
        module.empty() || (module.size() > 2 && module.front() == '[' && module.back() == ']');
    if (!parse_hex(address, value) || type.size() != 1 || name.empty() || !printable(name) ||
        !module_ok || !extra.empty()) {
      throw bad_input(fmt::format(
          "{}:{}: '{}' is not a symbol line: expected '<hex address> <type letter> <name>' "
          "as in System.map or /proc/kallsyms",
          source, line_no, quoted(line)));
    }
    if (!module.empty()) {
      continue;  // a loadable module's symbol, not part of the image
    }
    any_nonzero = any_nonzero || value != 0;
    table.add(Symbol{value, type[0], std::string(name)});
  }
  if (table.size() == 0) {
    throw bad_input(
        fmt::format("{}: no symbols (expected System.map or /proc/kallsyms lines such as "
                    "'ffff800008000000 T _text')",
                    source));
  }
  if (!any_nonzero) {
    throw bad_input(fmt::format(
        "{}: every address is 0: /proc/kallsyms hides addresses from unprivileged readers "
        "(kernel.kptr_restrict) (fix: read it as root: sudo cat /proc/kallsyms > kallsyms)",
        source));
  }
  return table;
}

SymbolTable SymbolTable::read_file(const std::string& path) {
  return parse(read_input_file(path, "kernel symbols file", 256 << 20), path);
}

std::optional<uint64_t> SymbolTable::find(std::string_view name) const {
  const Symbol* s = symbol(name);
  return s == nullptr ? std::nullopt : std::optional<uint64_t>(s->address);
}

const Symbol* SymbolTable::symbol(std::string_view name) const {
  const auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &it->second;
}

void SymbolTable::add(Symbol s) {
  by_name_.try_emplace(s.name, std::move(s));
}

}  // namespace ptsim::machine
