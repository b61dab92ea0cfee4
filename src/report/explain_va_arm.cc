// `ptsim explain --va` for arm boots: the address's walk through the booted
// swapper_pg_dir by the ARMv7 walker, with the registers Linux programs.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <vector>

#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/translate.h"
#include "ptsim/kernel/arch/arm/mmu_registers.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "ptsim/report/explain_va.h"
#include "ptsim/report/format.h"
#include "ptsim/report/ptdump_arm.h"
#include "ptsim/report/translate_report.h"
#include "report/explain_va_fields.h"

namespace ptsim::report {
namespace {

using kernel::arm::ArmBoot;

// The fields of `va` the walk indexes with, from the top, then the offset
// into the leaf (only the bits no index field claims: a supersection's or a
// large page's descriptor is repeated 16 times, so its low index bits pick
// one of the copies).
std::vector<VaField> arm_fields(const hw::arm::Regime& regime, const hw::arm::Translation& t) {
  std::vector<VaField> out;
  unsigned low = 32;
  const auto add = [&](unsigned hi, unsigned lo, const char* name, std::string role) {
    out.push_back({hi, lo, name, std::move(role)});
    low = lo;
  };
  if (!regime.lpae()) {
    add(31, 20, "pgd",
        "index into the 16 KiB first-level table; Linux's pgd_index is VA[31:21], each pgd entry "
        "a pair of these");
    if (t.step_count > 1) {
      add(19, 12, "pte", "index into the 1 KiB second-level table");
    }
  } else {
    const hw::arm::VaRange& r = regime.range(t.upper);
    if (t.upper) {
      add(31, r.ia_bits, "top", fmt::format("all ones: TTBR1 (T1SZ = {})", 32 - r.ia_bits));
    }
    static constexpr const char* kNames[] = {"", "pgd", "pmd", "pte"};
    for (unsigned level = r.start_level; level < r.start_level + t.step_count && level <= 3;
         ++level) {
      const unsigned lo = hw::arm::long_descriptor::level_shift(level);
      const unsigned hi = level == r.start_level ? r.ia_bits - 1 : lo + 8;
      add(hi, lo, kNames[level], fmt::format("index into the level {} table", level));
    }
  }
  if (t.ok() || t.fault == hw::arm::FaultKind::access_flag ||
      t.fault == hw::arm::FaultKind::domain || t.fault == hw::arm::FaultKind::permission) {
    const auto leaf_bits = static_cast<unsigned>(std::countr_zero(t.size));
    add(std::min(leaf_bits, low) - 1, 0, "offset",
        fmt::format("byte offset in the {} {}", human_size(t.size), arm_leaf_kind(t)));
  }
  return out;
}

// The ptdump line's run that covers `va`, as "PGD RW NX SHD MEM/CACHED/WBWA,
// domain KERNEL, 0xc0000000-0xc0800000".
std::string linux_view(const ArmBoot& boot, uint32_t va) {
  for (const ArmMappingRun& run : ptdump_arm(boot).runs) {
    if (va >= run.va_start && va < run.va_end) {
      std::string words;
      for (const std::string& w : run.attrs) {
        words += (words.empty() ? "" : " ") + w;
      }
      return fmt::format("{:#010x}-{:#010x} {} {}{}", run.va_start, run.va_end, run.level, words,
                         run.domain.empty() ? "" : ", domain " + run.domain);
    }
  }
  return "no mapping";
}

}  // namespace

std::string explain_va(const ArmBoot& boot, uint32_t va, ExplainStyle style) {
  const bool md = style == ExplainStyle::markdown;
  const hw::arm::Regime regime =
      hw::arm::Regime::from_registers(kernel::arm::linux_mmu_registers(boot));
  const ArmTranslateQuery q =
      run_translate_query(*boot.mem, regime, va, {false, hw::arm::AccessType::read});
  const hw::arm::Translation& t = q.result;
  std::string out;
  out += md ? fmt::format("## Walk of VA `{:#010x}`\n\n", va)
            : fmt::format("Walk of VA {:#010x}\n", va);
  const std::string tables =
      regime.lpae() ? fmt::format(
                          "LPAE (3-level) tables; {} covers it: the walk starts at level {} "
                          "of the table at PA {:#x}",
                          t.upper ? "TTBR1" : "TTBR0", regime.range(t.upper).start_level,
                          regime.range(t.upper).table_base.value())
                    : fmt::format(
                          "short-descriptor (2-level) tables; TTBR{} (TTBCR.N = 0) holds "
                          "swapper_pg_dir at PA {:#x}",
                          t.upper ? 1 : 0, boot.pgd());
  const hw::arm::Registers& regs = regime.registers();
  out += fmt::format("{}{}; SCTLR {:#x}, {}.\n\n", md ? "" : "  ", tables, regs.sctlr,
                     regime.lpae() ? fmt::format("TTBCR {:#x}", regs.ttbcr)
                                   : fmt::format("DACR {:#x}", regs.dacr));

  const std::vector<VaField> fields = arm_fields(regime, t);
  out += va_fields_text(va, fields, style);

  for (unsigned s = 0; s < t.step_count; ++s) {
    const hw::arm::WalkStep& step = t.steps[s];
    const unsigned bytes = regime.lpae() ? 8 : 4;
    const VaField* f = s + (regime.lpae() && t.upper ? 1 : 0) < fields.size()
                           ? &fields[s + (regime.lpae() && t.upper ? 1 : 0)]
                           : nullptr;
    const uint64_t index = f != nullptr ? va_field_value(va, *f) : 0;
    const std::string bits = f != nullptr ? fmt::format("VA[{}:{}]", f->hi, f->lo) : "?";
    out += md ? fmt::format("{}. **Level {}**: ", s + 1, step.level)
              : fmt::format("  Level {}: ", step.level);
    out += fmt::format("index {} = {:#x} ; entry at {:#x} + {:#x} * {} = {:#x}\n", bits, index,
                       step.addr.value() - index * bytes, index, bytes, step.addr.value());
    out += fmt::format("{}reads {:#0{}x}: {}\n", md ? "   " : "    ", step.raw,
                       regime.lpae() ? 18 : 10, arm_describe_step(regime.lpae(), step));
  }
  out += md ? "\n" : "";
  out += fmt::format("{}{}.\n", md ? "Result: " : "  => ", arm_translation_result(q));
  if (!regime.lpae() && t.step_count == 2 && t.steps[1].raw != 0) {
    // pgtable-2level.h: Linux keeps its own pte PTE_HWTABLE_OFF below.
    const uint64_t linux_pte =
        t.steps[1].addr.value() - kernel::arm::pgtable_2level::PTE_HWTABLE_OFF;
    out += fmt::format(
        "{}Linux's own pte for it, PTE_HWTABLE_OFF (2048) bytes below: {:#010x} at "
        "PA {:#x}.\n",
        md ? "\n" : "  ", boot.mem->load32(hw::PhysAddr(linux_pte)), linux_pte);
  }
  out += fmt::format("{}Linux's ptdump shows: {}.\n", md ? "\n" : "  ", linux_view(boot, va));
  return out;
}

}  // namespace ptsim::report
