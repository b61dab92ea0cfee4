#include "ptsim/report/replay_report.h"

#include <fmt/format.h>

namespace ptsim::report {
namespace {

double ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

constexpr hw::arm64::FaultKind kArm64Faults[] = {
    hw::arm64::FaultKind::translation, hw::arm64::FaultKind::access_flag,
    hw::arm64::FaultKind::permission, hw::arm64::FaultKind::address_size,
    hw::arm64::FaultKind::external_abort};

constexpr hw::arm::FaultKind kArmFaults[] = {
    hw::arm::FaultKind::translation,  hw::arm::FaultKind::access_flag,
    hw::arm::FaultKind::domain,       hw::arm::FaultKind::permission,
    hw::arm::FaultKind::address_size, hw::arm::FaultKind::external_abort};

// What one architecture adds to the counts both share: (label, key, count).
struct Extra {
  const char* label;
  const char* key;
  uint64_t count;
};

std::vector<Extra> extras(const hw::arm64::MmuStats& s) {
  return {{"AF updates", "af_updates", s.af_updates},
          {"dirty updates", "dirty_updates", s.dirty_updates}};
}

std::vector<Extra> extras(const hw::arm::MmuStats& s) {
  return {{"DACR writes", "dacr_writes", s.dacr_writes}};
}

// The text both MMU models print; `Stats` is either's MmuStats.
template <class Stats, class Faults>
std::string text(const hw::arm64::TlbConfig& c, const Stats& s, const Faults& fault_kinds) {
  std::string out = fmt::format("TLB: {} entries, {}-way", c.entries, c.ways);
  if (c.micro_entries != 0) {
    out += fmt::format("; micro-TLB {} entries", c.micro_entries);
  }
  if (c.walk_cache_entries != 0) {
    out += fmt::format("; walk cache {} entries, {}-way", c.walk_cache_entries, c.walk_cache_ways);
  }
  out += "\n";
  // One count a line, the labels in a column wide enough for the longest
  // ("external_abort faults").
  const auto row = [&out](const std::string& label, uint64_t count, const std::string& note = "") {
    out += fmt::format("{:<23}{:>12}{}\n", label, count, note.empty() ? "" : "  " + note);
  };
  row("accesses", s.accesses);
  row("TLB hits", s.hits(), fmt::format("({:.2f}%)", 100.0 * ratio(s.hits(), s.accesses)));
  if (c.micro_entries != 0) {
    row("  micro-TLB hits", s.micro_hits);
    row("  main TLB hits", s.main_hits);
  }
  row("TLB misses", s.misses);
  row("walks", s.walks);
  row("descriptor reads", s.descriptor_reads,
      fmt::format("({:.2f} per walk)", ratio(s.descriptor_reads, s.walks)));
  if (c.walk_cache_entries != 0) {
    row("walk cache hits", s.walk_cache_hits);
  }
  for (const Extra& e : extras(s)) {
    row(e.label, e.count);
  }
  row("ASID switches", s.asid_switches);
  row("TLBIs", s.tlbis);
  for (const auto k : fault_kinds) {
    row(fault_kind_name(k) + " faults", s.fault_count(k));
  }
  return out;
}

template <class Stats, class Faults>
nlohmann::ordered_json json(const hw::arm64::TlbConfig& c, const Stats& s,
                            const Faults& fault_kinds) {
  nlohmann::ordered_json j;
  j["schema"] = "ptsim.trace-replay/1";
  j["tlb"] = {{"entries", c.entries},
              {"ways", c.ways},
              {"micro_entries", c.micro_entries},
              {"walk_cache_entries", c.walk_cache_entries},
              {"walk_cache_ways", c.walk_cache_ways}};
  j["accesses"] = s.accesses;
  j["hits"] = s.hits();
  j["micro_hits"] = s.micro_hits;
  j["main_hits"] = s.main_hits;
  j["misses"] = s.misses;
  j["walks"] = s.walks;
  j["descriptor_reads"] = s.descriptor_reads;
  j["reads_per_walk"] = ratio(s.descriptor_reads, s.walks);
  j["walk_cache_hits"] = s.walk_cache_hits;
  for (const Extra& e : extras(s)) {
    j[e.key] = e.count;
  }
  j["asid_switches"] = s.asid_switches;
  j["tlbis"] = s.tlbis;
  nlohmann::ordered_json faults;
  for (const auto k : fault_kinds) {
    faults[fault_kind_name(k)] = s.fault_count(k);
  }
  j["faults"] = faults;
  return j;
}

}  // namespace

std::string replay_text(const hw::arm64::TlbConfig& c, const hw::arm64::MmuStats& s) {
  return text(c, s, kArm64Faults);
}

nlohmann::ordered_json replay_json(const hw::arm64::TlbConfig& c, const hw::arm64::MmuStats& s) {
  return json(c, s, kArm64Faults);
}

std::string replay_text(const hw::arm64::TlbConfig& c, const hw::arm::MmuStats& s) {
  return text(c, s, kArmFaults);
}

nlohmann::ordered_json replay_json(const hw::arm64::TlbConfig& c, const hw::arm::MmuStats& s) {
  return json(c, s, kArmFaults);
}

}  // namespace ptsim::report
