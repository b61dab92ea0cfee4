#include "ptsim/report/explain_boot.h"

#include <fmt/format.h>

#include "ptsim/report/format.h"
#include "ptsim/report/ptdump_arm64.h"

namespace ptsim::report {
namespace {

using kernel::BootStep;
using kernel::StepKind;
using Json = nlohmann::ordered_json;

std::string hex(uint64_t v) {
  return fmt::format("{:#x}", v);
}

// A byte count as ptdump writes sizes, "4K", "2M"; odd counts in bytes.
std::string size_text(uint64_t bytes) {
  const std::string h = human_size(bytes);
  return h.find_first_not_of("0123456789") == std::string::npos ? h + " bytes" : h;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

// How each style marks up the parts of a line.
struct Markup {
  std::string fn_on, fn_off;        // a function name
  std::string name_on, name_off;    // a computed variable
  std::string value_on, value_off;  // a result
  std::string dim_on, dim_off;      // secondary detail
};

Markup markup_for(ExplainStyle style) {
  switch (style) {
    case ExplainStyle::colour:
      return {"\033[1;36m", "\033[0m", "\033[33m", "\033[0m",
              "\033[1;32m", "\033[0m", "\033[2m",  "\033[0m"};
    case ExplainStyle::markdown:
      return {"**`", "`**", "`", "`", "**", "**", "", ""};
    case ExplainStyle::text:
      break;
  }
  return {};
}

// The entry size of a map step, for "8 x section (1M)".
std::string entries_text(const BootStep& s) {
  if (s.count == 0) {
    return s.name;
  }
  return fmt::format("{} x {} ({})", s.count, s.name, size_text(s.size / s.count));
}

// One step as a line of text, without its indentation.
std::string step_line(const BootNarration& n, const BootStep& s, const Markup& m) {
  switch (s.kind) {
    case StepKind::call:
      return fmt::format("{}{}(){}  {}{}{}", m.fn_on, s.function, m.fn_off, m.dim_on, s.text,
                         m.dim_off);
    case StepKind::compute: {
      std::string line = fmt::format("{}{}{} = {}", m.name_on, s.name, m.name_off, s.formula);
      if (!s.worked.empty() && s.worked != s.formula) {
        line += " = " + s.worked;
      }
      return line + fmt::format(" = {}{:#x}{}", m.value_on, s.value, m.value_off);
    }
    case StepKind::table:
      if (s.count > 1) {
        return fmt::format(
            "{}: {} {} table pages ({} each), {}{:#x}{} .. {}{:#x}{}, for VA {:#x}-{:#x}: {}",
            s.function, s.count, s.name, size_text(s.size), m.value_on, s.value, m.value_off,
            m.value_on, s.pa, m.value_off, s.va, s.va_end, s.text);
      }
      return fmt::format("{}: {} table page at {}{:#x}{} ({}) for VA {:#x}-{:#x}: {}", s.function,
                         s.name, m.value_on, s.value, m.value_off, size_text(s.size), s.va,
                         s.va_end, s.text);
    case StepKind::alloc:
      return fmt::format("{}: {} at {}{:#x}{} from memblock: {}", s.function, size_text(s.size),
                         m.value_on, s.value, m.value_off, s.name);
    case StepKind::map: {
      std::string line =
          fmt::format("{}: map {:#x}-{:#x} -> {}{:#x}{} as {}, {}", s.function, s.va, s.va + s.size,
                      m.value_on, s.pa, m.value_off, entries_text(s), s.text);
      const std::vector<std::string> words = n.attrs ? n.attrs(s.desc) : std::vector<std::string>{};
      line += fmt::format("  {}[desc {:#x}{}{}]{}", m.dim_on, s.desc, words.empty() ? "" : ": ",
                          join(words), m.dim_off);
      return line;
    }
    case StepKind::clear:
      return fmt::format("{}: {}_clear {:#x}-{:#x} ({} entries)", s.function, s.name, s.va,
                         s.va + s.size, s.count);
    case StepKind::note:
      return fmt::format("{}: {}", s.function, s.text);
  }
  return {};
}

}  // namespace

BootNarration arm64_boot_narration(const kernel::arm64::Arm64Kernel& k) {
  BootNarration n;
  n.arch = "arm64";
  n.title = "Linux 6.1 " + k.geometry().describe();
  n.steps = &k.steps();
  n.attrs = [](uint64_t desc) { return ptdump_arm64_attr_words(desc); };
  return n;
}

BootNarration arm_boot_narration(const kernel::arm::ArmBoot& boot) {
  const kernel::arm::ArmConfig& c = boot.input.config;
  BootNarration n;
  n.arch = "arm";
  n.title = fmt::format(
      "Linux {} arm, VMSPLIT_{}G, {}", kernel::arm::to_string(c.version), c.vmsplit_user_gib,
      c.lpae ? "LPAE (3 levels, long descriptors)" : "classic MMU (2 levels, short descriptors)");
  n.steps = &boot.steps.steps();
  return n;
}

std::string explain_boot_text(const BootNarration& n, ExplainStyle style) {
  const Markup m = markup_for(style);
  const bool md = style == ExplainStyle::markdown;
  std::string out = md ? fmt::format("# Boot of {}, step by step\n\n", n.title)
                       : fmt::format("Boot of {}, step by step\n\n", n.title);
  for (const BootStep& s : *n.steps) {
    const std::string indent(2 * s.depth, ' ');
    const std::string line = step_line(n, s, m);
    if (md) {
      out += indent + "- " + line + "\n";
      continue;
    }
    if (s.kind == StepKind::call && s.depth == 0) {
      out += "\n";
    }
    out += indent + line + "\n";
  }
  return out;
}

nlohmann::ordered_json explain_boot_json(const BootNarration& n) {
  Json steps = Json::array();
  for (const BootStep& s : *n.steps) {
    Json j = {{"kind", std::string(kernel::step_kind_name(s.kind))},
              {"depth", s.depth},
              {"function", s.function}};
    switch (s.kind) {
      case StepKind::call:
      case StepKind::note:
        j["text"] = s.text;
        break;
      case StepKind::compute:
        j["name"] = s.name;
        j["formula"] = s.formula;
        j["worked"] = s.worked;
        j["value"] = hex(s.value);
        break;
      case StepKind::table:
        j["level"] = s.name;
        j["pa"] = hex(s.value);
        j["pa_last"] = hex(s.pa);
        j["pages"] = s.count;
        j["size"] = s.size;
        j["va_start"] = hex(s.va);
        j["va_end"] = hex(s.va_end);
        j["why"] = s.text;
        break;
      case StepKind::alloc:
        j["what"] = s.name;
        j["pa"] = hex(s.value);
        j["size"] = s.size;
        break;
      case StepKind::map:
        j["type"] = s.name;
        j["prot"] = s.text;
        j["va_start"] = hex(s.va);
        j["va_end"] = hex(s.va + s.size);
        j["pa_start"] = hex(s.pa);
        j["entries"] = s.count;
        j["entry_size"] = s.count == 0 ? 0 : s.size / s.count;
        j["desc"] = hex(s.desc);
        if (n.attrs) {
          j["attrs"] = n.attrs(s.desc);
        }
        break;
      case StepKind::clear:
        j["entries"] = s.name;
        j["va_start"] = hex(s.va);
        j["va_end"] = hex(s.va + s.size);
        j["count"] = s.count;
        break;
    }
    steps.push_back(std::move(j));
  }
  return {
      {"schema", "ptsim.explain.boot/1"}, {"arch", n.arch}, {"title", n.title}, {"steps", steps}};
}

}  // namespace ptsim::report
