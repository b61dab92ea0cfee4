#include "ptsim/kernel/boot_steps.h"

namespace ptsim::kernel {
namespace {

// Whether a new piece of `function`'s `name` run at `va` continues `last`.
bool continues(const BootStep& last, unsigned depth, std::string_view function,
               std::string_view name, uint64_t va) {
  return last.depth == depth && last.function == function && last.name == name &&
         last.va + last.size == va;
}

}  // namespace

std::string_view step_kind_name(StepKind kind) {
  static constexpr std::string_view kNames[] = {"call", "compute", "table", "alloc",
                                                "map",  "clear",   "note"};
  return kNames[static_cast<unsigned>(kind)];
}

BootSteps::Scope::Scope(BootSteps& steps, std::string_view function, std::string_view text)
    : steps_(steps) {
  if (!steps_.on_) {
    return;
  }
  steps_.push(StepKind::call, function).text = text;
  ++steps_.depth_;
  entered_ = true;
}

BootSteps::Scope::~Scope() {
  if (entered_) {
    --steps_.depth_;
  }
}

BootStep& BootSteps::push(StepKind kind, std::string_view function) {
  // Any other step ends the runs open for merging.
  if (kind != StepKind::map && kind != StepKind::table) {
    open_map_ = kNone;
    open_table_ = kNone;
  }
  BootStep& s = steps_.emplace_back();
  s.kind = kind;
  s.depth = depth_;
  s.function = function;
  return s;
}

void BootSteps::compute(std::string_view function, std::string_view name, std::string_view formula,
                        std::string_view worked, uint64_t value) {
  if (!on_) {
    return;
  }
  BootStep& s = push(StepKind::compute, function);
  s.name = name;
  s.formula = formula;
  s.worked = worked;
  s.value = value;
}

void BootSteps::table(std::string_view function, std::string_view level, uint64_t pa, uint64_t size,
                      uint64_t va, uint64_t span, std::string_view why) {
  if (!on_) {
    return;
  }
  if (open_table_ != kNone) {
    BootStep& t = steps_[open_table_];
    const bool adjacent = pa + size == t.pa || t.pa + size == pa;  // top-down or bottom-up
    if (t.depth == depth_ && t.function == function && t.name == level && t.text == why &&
        t.size == size && t.va_end == va && adjacent) {
      t.pa = pa;
      t.va_end = va + span;
      ++t.count;
      return;
    }
  }
  BootStep& s = push(StepKind::table, function);
  s.name = level;
  s.value = pa;
  s.pa = pa;
  s.size = size;
  s.count = 1;
  s.va = va;
  s.va_end = va + span;
  s.text = why;
  open_table_ = steps_.size() - 1;
}

void BootSteps::alloc(std::string_view function, std::string_view what, uint64_t pa,
                      uint64_t size) {
  if (!on_) {
    return;
  }
  BootStep& s = push(StepKind::alloc, function);
  s.name = what;
  s.value = pa;
  s.size = size;
}

void BootSteps::map(std::string_view function, std::string_view type, std::string_view prot,
                    uint64_t va, uint64_t pa, uint64_t size, uint64_t entries, uint64_t desc,
                    uint64_t attrs) {
  if (!on_) {
    return;
  }
  if (open_map_ != kNone) {
    BootStep& last = steps_[open_map_];
    if (continues(last, depth_, function, type, va) && last.text == prot && open_attrs_ == attrs &&
        last.pa + last.size == pa) {
      last.size += size;
      last.count += entries;
      return;
    }
  }
  BootStep& s = push(StepKind::map, function);
  s.name = type;
  s.text = prot;
  s.va = va;
  s.pa = pa;
  s.size = size;
  s.count = entries;
  s.desc = desc;
  open_map_ = steps_.size() - 1;
  open_attrs_ = attrs;
}

void BootSteps::clear(std::string_view function, std::string_view entries, uint64_t va,
                      uint64_t size, uint64_t count) {
  if (!on_) {
    return;
  }
  if (!steps_.empty() && steps_.back().kind == StepKind::clear &&
      continues(steps_.back(), depth_, function, entries, va)) {
    steps_.back().size += size;
    steps_.back().count += count;
    return;
  }
  BootStep& s = push(StepKind::clear, function);
  s.name = entries;
  s.va = va;
  s.size = size;
  s.count = count;
}

void BootSteps::note(std::string_view function, std::string_view text) {
  if (!on_) {
    return;
  }
  push(StepKind::note, function).text = text;
}

}  // namespace ptsim::kernel
