// A virtual address cut into the fields a walk indexes with, written in
// binary with each field's value and role: the part `ptsim explain --va`
// shares between arm64 and arm.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ptsim/report/explain_va.h"

namespace ptsim::report {

// Bits [hi:lo] of the VA and who reads them.
struct VaField {
  unsigned hi, lo;
  std::string name;  // "pgd", "pte", "offset", "top"
  std::string role;
};

uint64_t va_field_value(uint64_t va, const VaField& f);

// `s` in field `field`'s colour when the style has colours.
std::string paint_field(const std::string& s, size_t field, ExplainStyle style);

// The VA in binary cut into `fields` (top first), a legend, and a line (a
// Markdown table row) per field: its bits, value and role.
std::string va_fields_text(uint64_t va, const std::vector<VaField>& fields, ExplainStyle style);

}  // namespace ptsim::report
