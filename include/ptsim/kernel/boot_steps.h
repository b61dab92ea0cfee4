// The boot told step by step, as the seed notes tell it: each Linux function
// as it runs, each value it computes (Linux's formula, the same formula with
// this boot's numbers, the result), each table page it takes from memblock
// and for which address, each range it maps and with which descriptor type.
// `ptsim explain` reads these steps; they are recorded by the boot code at
// the place it does the work, and only when recording is on, so a plain
// boot pays nothing for them.
//
//   call     a Linux function starts (its callees' steps are one level deeper)
//   compute  name = formula = worked = value
//   table    a table page: level, physical address, size, the VA it serves, why
//   alloc    other memory taken from memblock (vectors page, zero page, ...)
//   map      a run of leaf entries of one descriptor type and one set of attributes
//   clear    a range of entries cleared (pmd_clear loops)
//   note     anything else the function reports, as text
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptsim::kernel {

enum class StepKind { call, compute, table, alloc, map, clear, note };

std::string_view step_kind_name(StepKind kind);  // "call", "compute", ...

struct BootStep {
  StepKind kind = StepKind::note;
  unsigned depth = 0;    // nesting of call steps around this one
  std::string function;  // the Linux function that acted
  // call: -; compute: the variable; table: the level (pgd, pmd, pte...);
  // alloc: what the memory is for; map: the descriptor type (section,
  // supersection, block, page, contiguous block, contiguous page); clear:
  // the entries cleared (e.g. "pmd").
  std::string name;
  std::string formula;  // compute: Linux's expression
  std::string worked;   // compute: the expression with this boot's numbers
  // call: what the function does; table: why (the caller); map: the
  // protection's Linux name (MT_MEMORY_RWX, PAGE_KERNEL_ROX, ...); note: the text.
  std::string text;
  uint64_t value = 0;   // compute: the result; table: the first page; alloc: the address
  uint64_t va = 0;      // table: the first VA served; map, clear: the first VA
  uint64_t va_end = 0;  // table: the end of the VAs served
  uint64_t pa = 0;      // map: the first physical address; table: the last page
  uint64_t size = 0;    // table: bytes each; alloc, map, clear: bytes
  uint64_t count = 0;   // map, clear: entries written; table: pages
  uint64_t desc = 0;    // map: the first descriptor written (address bits included)
};

class BootSteps {
 public:
  bool on() const { return on_; }
  void set_on(bool on) { on_ = on; }
  const std::vector<BootStep>& steps() const { return steps_; }

  // A call step, and one level deeper for the steps until the scope ends.
  class Scope {
   public:
    Scope(BootSteps& steps, std::string_view function, std::string_view text);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    BootSteps& steps_;
    bool entered_ = false;
  };

  void compute(std::string_view function, std::string_view name, std::string_view formula,
               std::string_view worked, uint64_t value);
  // A table page of `size` bytes serving [va, va + span).  Pages taken one
  // after another for consecutive VAs, from adjacent memory, by the same
  // function for the same reason, merge into one step, even when map steps
  // come between them (a pte table, then its pages, then the next table).
  void table(std::string_view function, std::string_view level, uint64_t pa, uint64_t size,
             uint64_t va, uint64_t span, std::string_view why);
  void alloc(std::string_view function, std::string_view what, uint64_t pa, uint64_t size);
  // `attrs` is the descriptor without its address bits: runs merge while the
  // function, type, protection name and attrs agree and both addresses continue.
  void map(std::string_view function, std::string_view type, std::string_view prot, uint64_t va,
           uint64_t pa, uint64_t size, uint64_t entries, uint64_t desc, uint64_t attrs);
  // Ranges cleared merge while contiguous.
  void clear(std::string_view function, std::string_view entries, uint64_t va, uint64_t size,
             uint64_t count);
  void note(std::string_view function, std::string_view text);

 private:
  BootStep& push(StepKind kind, std::string_view function);

  // The index of the map or table run still open for merging, or none.
  static constexpr size_t kNone = ~size_t{0};
  bool on_ = false;
  unsigned depth_ = 0;
  size_t open_map_ = kNone;
  size_t open_table_ = kNone;
  uint64_t open_attrs_ = 0;  // attrs of the open map run
  std::vector<BootStep> steps_;
};

}  // namespace ptsim::kernel
