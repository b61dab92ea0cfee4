// `ptsim explain [boot options]`: a whole boot told in order, from the steps
// the boot code recorded (kernel/boot_steps.h): each Linux function as it
// runs, what it computed (formula, the formula with the numbers, the
// result), each table page and why, each range mapped and with which
// descriptor type and protection.  Text (optionally coloured), Markdown, or
// JSON (schema "ptsim.explain.boot/1", docs/json.md).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ptsim/kernel/arch/arm/boot.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/kernel/boot_steps.h"
#include "ptsim/report/explain_va.h"

namespace ptsim::report {

// What the narration needs besides the steps.
struct BootNarration {
  std::string arch;   // "arm64" or "arm"
  std::string title;  // "Linux 6.1 arm64, 4K pages, 48-bit VA, 4 levels"
  const std::vector<kernel::BootStep>* steps = nullptr;
  // The attribute words of a leaf descriptor (ptdump's), or empty.
  std::function<std::vector<std::string>(uint64_t desc)> attrs;
};

BootNarration arm64_boot_narration(const kernel::arm64::Arm64Kernel& k);
BootNarration arm_boot_narration(const kernel::arm::ArmBoot& boot);

std::string explain_boot_text(const BootNarration& n, ExplainStyle style);
nlohmann::ordered_json explain_boot_json(const BootNarration& n);

}  // namespace ptsim::report
