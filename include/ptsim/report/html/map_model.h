// The data behind the HTML memory map (report/html/page.h): the virtual
// address space's regions, the mappings of the translation tables with the
// walk of each, the physical memory map and what the tables cost per level.
// Builders fill it from a booted arm64 or arm kernel, or from a memory image
// (arm64_map.h, arm_map.h); map_model_json() gives the JSON the page embeds.
//
//   VA regions          mappings (runs)           PA ranges
//   [user        ]      0xffff..0000-..200000 --> 0x40000000 RAM
//   [linear map  ]        PMD block RW NX          reserved, tables, no-map
//   [vmalloc     ]        walk: L0 .. L2 entries
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/report/addr_marker.h"

namespace ptsim::report::html {

// A named span of the virtual address space; `last` is inclusive so that a
// region ending at the top of the 64-bit space needs no 65-bit end.
struct Region {
  std::string name;
  uint64_t first = 0;
  uint64_t last = 0;
  bool operator==(const Region&) const = default;
};

// One descriptor a walk read.
struct WalkEntry {
  std::string level;   // "L0".."L3" (arm64), "L1"/"L2" (arm), with Linux's name after it
  uint64_t table = 0;  // physical address of the table
  uint64_t index = 0;  // the entry's index in it
  uint64_t desc = 0;   // the descriptor value
  std::string kind;    // "table", "block", "page", "section", ...
  bool operator==(const WalkEntry&) const = default;
};

// A run of leaves: adjacent in VA and PA, one level, one set of attributes.
// After aggregate() it may stand for several runs of the same class that
// follow each other in VA (`runs` > 1); `pa` is then the first one's.
struct Mapping {
  std::string root;    // the table root ("swapper_pg_dir", "TTBR1_EL1", ...)
  uint64_t first = 0;  // VA, inclusive
  uint64_t last = 0;
  uint64_t pa = 0;                 // PA of `first`
  std::string level;               // Linux's level name of the leaves (PGD..PTE)
  std::string kind;                // "block", "page"
  bool contiguous = false;         // the Contiguous hint (arm64) or a 64K/16M run (arm)
  std::string perm;                // "RW", "RO", "RWX", "RX", with "USR " before it for EL0
  std::string memtype;             // "normal", "normal-nc", "tagged", "device", "unknown"
  std::vector<std::string> attrs;  // the ptdump attribute words
  uint64_t runs = 1;
  std::vector<WalkEntry> walk;  // the walk of `first`
  bool operator==(const Mapping&) const = default;
};

// A physical range: "ram" (memblock.memory or a memory bank), "reserved"
// (memblock.reserved), "nomap" (MEMBLOCK_NOMAP), "table" (page-table pages).
struct PhysRange {
  std::string kind;
  uint64_t base = 0;
  uint64_t size = 0;
  std::string label;
  bool operator==(const PhysRange&) const = default;
};

// Table memory of one level.
struct LevelCost {
  std::string level;  // "PGD", "PUD", "PMD", "PTE", ...
  uint64_t tables = 0;
  uint64_t bytes = 0;
  bool operator==(const LevelCost&) const = default;
};

struct MapModel {
  std::string title;       // "arm64 boot", "arm boot", "memory image"
  std::string subtitle;    // geometry, profile
  std::string arch;        // "arm64" or "arm"
  unsigned va_width = 64;  // bits of the virtual address space drawn (64 or 32)
  std::vector<Region> regions;
  std::vector<Mapping> mappings;  // in VA order
  std::vector<PhysRange> phys;
  std::vector<LevelCost> table_cost;
  std::vector<std::string> notes;
};

// Default cap on mappings drawn: a page stays responsive with a few
// thousand SVG elements per column.
inline constexpr size_t kMaxMappings = 2000;

// A memory image's side of a model: one region per marker, running to the
// next marker (the last to the top of the `va_width`-bit space), and each
// memory bank as RAM or device.
void add_marker_regions(MapModel& model, const std::vector<AddrMarker>& markers);
void add_memory_banks(MapModel& model, const hw::PhysMem& mem);

// Classification of ptdump attribute words (arch/arm64/mm/ptdump.c,
// arch/arm/mm/dump.c): "RW"/"ro", "NX"/"x", "USR", the memory type word.
std::string perm_class(const std::vector<std::string>& attrs);
std::string memtype_class(const std::vector<std::string>& attrs);

// Merges mappings that follow each other in VA with the same root, level
// kind, contiguity, permission and memory type while more than `cap`
// remain, then keeps the first `cap` and says so in `model.notes`.
void aggregate(MapModel& model, size_t cap = kMaxMappings);

// Pairs of physically adjacent or overlapping ranges of one kind merged;
// sorted by base.
std::vector<PhysRange> merge_phys(std::vector<PhysRange> ranges);

// The model as the page's JSON: addresses as hex strings (the page reads
// them as BigInt), schema "ptsim.html-map/1".
nlohmann::json map_model_json(const MapModel& model);

}  // namespace ptsim::report::html
