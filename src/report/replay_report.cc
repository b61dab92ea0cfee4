#include "ptsim/report/replay_report.h"

#include <fmt/format.h>

namespace ptsim::report {
namespace {

using hw::arm64::FaultKind;

constexpr FaultKind kFaultKinds[] = {FaultKind::translation, FaultKind::access_flag,
                                     FaultKind::permission, FaultKind::address_size,
                                     FaultKind::external_abort};

double ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

}  // namespace

std::string replay_text(const hw::arm64::TlbConfig& c, const hw::arm64::MmuStats& s) {
  std::string out = fmt::format("TLB: {} entries, {}-way", c.entries, c.ways);
  if (c.micro_entries != 0) {
    out += fmt::format("; micro-TLB {} entries", c.micro_entries);
  }
  if (c.walk_cache_entries != 0) {
    out += fmt::format("; walk cache {} entries, {}-way", c.walk_cache_entries, c.walk_cache_ways);
  }
  out += "\n";
  out += fmt::format("accesses          {:>12}\n", s.accesses);
  out += fmt::format("TLB hits          {:>12}  ({:.2f}%)\n", s.hits(),
                     100.0 * ratio(s.hits(), s.accesses));
  if (c.micro_entries != 0) {
    out += fmt::format("  micro-TLB hits  {:>12}\n", s.micro_hits);
    out += fmt::format("  main TLB hits   {:>12}\n", s.main_hits);
  }
  out += fmt::format("TLB misses        {:>12}\n", s.misses);
  out += fmt::format("walks             {:>12}\n", s.walks);
  out += fmt::format("descriptor reads  {:>12}  ({:.2f} per walk)\n", s.descriptor_reads,
                     ratio(s.descriptor_reads, s.walks));
  if (c.walk_cache_entries != 0) {
    out += fmt::format("walk cache hits   {:>12}\n", s.walk_cache_hits);
  }
  out += fmt::format("AF updates        {:>12}\n", s.af_updates);
  out += fmt::format("dirty updates     {:>12}\n", s.dirty_updates);
  out += fmt::format("ASID switches     {:>12}\n", s.asid_switches);
  out += fmt::format("TLBIs             {:>12}\n", s.tlbis);
  for (FaultKind k : kFaultKinds) {
    out +=
        fmt::format("{:<18}{:>12}\n", hw::arm64::fault_kind_name(k) + " faults", s.fault_count(k));
  }
  return out;
}

nlohmann::ordered_json replay_json(const hw::arm64::TlbConfig& c, const hw::arm64::MmuStats& s) {
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
  j["af_updates"] = s.af_updates;
  j["dirty_updates"] = s.dirty_updates;
  j["asid_switches"] = s.asid_switches;
  j["tlbis"] = s.tlbis;
  nlohmann::ordered_json faults;
  for (FaultKind k : kFaultKinds) {
    faults[hw::arm64::fault_kind_name(k)] = s.fault_count(k);
  }
  j["faults"] = faults;
  return j;
}

namespace {

constexpr hw::arm::FaultKind kArmFaultKinds[] = {
    hw::arm::FaultKind::translation,  hw::arm::FaultKind::access_flag,
    hw::arm::FaultKind::domain,       hw::arm::FaultKind::permission,
    hw::arm::FaultKind::address_size, hw::arm::FaultKind::external_abort};

}  // namespace

std::string replay_text(const hw::arm64::TlbConfig& c, const hw::arm::MmuStats& s) {
  std::string out = fmt::format("TLB: {} entries, {}-way\n", c.entries, c.ways);
  out += fmt::format("accesses          {:>12}\n", s.accesses);
  out += fmt::format("TLB hits          {:>12}  ({:.2f}%)\n", s.hits,
                     100.0 * ratio(s.hits, s.accesses));
  out += fmt::format("TLB misses        {:>12}\n", s.misses);
  out += fmt::format("walks             {:>12}\n", s.walks);
  out += fmt::format("descriptor reads  {:>12}  ({:.2f} per walk)\n", s.descriptor_reads,
                     ratio(s.descriptor_reads, s.walks));
  out += fmt::format("ASID switches     {:>12}\n", s.asid_switches);
  out += fmt::format("TLBIs             {:>12}\n", s.tlbis);
  for (hw::arm::FaultKind k : kArmFaultKinds) {
    out += fmt::format("{:<18}{:>12}\n", hw::arm::fault_kind_name(k) + " faults", s.fault_count(k));
  }
  return out;
}

nlohmann::ordered_json replay_json(const hw::arm64::TlbConfig& c, const hw::arm::MmuStats& s) {
  nlohmann::ordered_json j;
  j["schema"] = "ptsim.trace-replay/1";
  j["tlb"] = {{"entries", c.entries}, {"ways", c.ways}};
  j["accesses"] = s.accesses;
  j["hits"] = s.hits;
  j["misses"] = s.misses;
  j["walks"] = s.walks;
  j["descriptor_reads"] = s.descriptor_reads;
  j["reads_per_walk"] = ratio(s.descriptor_reads, s.walks);
  j["asid_switches"] = s.asid_switches;
  j["tlbis"] = s.tlbis;
  nlohmann::ordered_json faults;
  for (hw::arm::FaultKind k : kArmFaultKinds) {
    faults[hw::arm::fault_kind_name(k)] = s.fault_count(k);
  }
  j["faults"] = faults;
  return j;
}

}  // namespace ptsim::report
