// PAR_EL1 as the AT S1E1R/S1E1W/S1E0R/S1E0W (and S1E1RP/S1E1WP) address
// translation instructions leave it (Arm ARM DDI 0487, D19.2.106 PAR_EL1,
// 64-bit format; C5.5 AT instructions).
//
//  F=0:  63    56 55  52 51          12 11  10  9   8 7  6   1  0
//       +--------+------+--------------+---+---+---+----+------+---+
//       |  ATTR  | RES0 |  PA[51:12]   | 1 |IMP|NS | SH |  RES0| 0 |
//       +--------+------+--------------+---+---+---+----+------+---+
//  F=1:  63                        12 11  10  9   8   7  6   1  0
//       +----------------------------+---+---+---+---+---+-----+---+
//       |  IMPLEMENTATION DEFINED    | 1 | 0 | S |PTW| 0 | FST | 1 |
//       +----------------------------+---+---+---+---+---+-----+---+
//
// PA[51:48] is RES0 unless the output address is 52 bits wide.  ptsim
// writes 0 in every IMPLEMENTATION DEFINED bit, as QEMU does.
#pragma once

#include <cstdint>
#include <string>

#include "ptsim/hw/arch/arm64/translate.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

namespace par {
inline constexpr BitField kF = flag(0);
inline constexpr BitField kFST = field(6, 1);
inline constexpr BitField kSH = field(8, 7);
inline constexpr BitField kPTW = flag(8);
inline constexpr BitField kNS = flag(9);
inline constexpr BitField kS = flag(9);
inline constexpr BitField kRes1 = flag(11);
inline constexpr BitField kPA = field(51, 12);
inline constexpr BitField kATTR = field(63, 56);
}  // namespace par

enum class AtOp { s1e1r, s1e1w, s1e0r, s1e0w, s1e1rp, s1e1wp };
std::string at_op_name(AtOp op);  // "S1E1R", ...

// The fault status code (FST in PAR_EL1, DFSC/IFSC in ESR_ELx) of a stage 1
// fault at `level` (D19.2.106; level -1 only with FEAT_LPA2):
//   address size 0b0000LL (-1: 0b101001), translation 0b0001LL (-1:
//   0b101011), access flag 0b0010LL, permission 0b0011LL, synchronous
//   external abort on a walk 0b0101LL (-1: 0b010011).
unsigned fault_status_code(FaultKind kind, int level);

uint64_t par_success(PhysAddr pa, uint8_t attr, unsigned sh, bool ns);
uint64_t par_fault(FaultKind kind, int level);

// PAR_EL1 for a translation's outcome.
uint64_t par_for(const Translation& t);

// The access an AT operation checks.  The P forms (FEAT_PAN2) honour
// PSTATE.PAN; AT S1E1R/S1E1W ignore it.
Access at_access(AtOp op);
bool at_honours_pan(AtOp op);

// Executes an AT operation: no hardware update is made.
uint64_t at(const PhysMem& mem, const Regime& regime, AtOp op, uint64_t va);

// A reading of a PAR value: "PA 0x40001000 ATTR 0xff SH 3 NS" or
// "fault FST 0b000111 (translation, level 3)".
std::string describe_par(uint64_t par);

}  // namespace ptsim::hw::arm64
