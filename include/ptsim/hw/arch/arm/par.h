// The PAR as the ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW operations leave it, and
// the fault status encodings of DFSR/IFSR (Arm ARM DDI 0406C, B4.1.112 PAR;
// B3.13.3 "Fault Status Register encodings"; B4.2.6 "Performing address
// translation operations"; DDI 0487 G8.2.112 PAR for AArch32 in ARMv8).
//
// 32-bit PAR (TTBCR.EAE == 0), F == 0:
//   31            12 11   10  9   8   7   6     4 3     2 1  0
//  +----------------+----+---+---+---+---+-------+-------+--+---+
//  |   PA[31:12]    |LPAE|NOS|NS |IMP|SH |Inner  |Outer  |SS| 0 |
//  +----------------+----+---+---+---+---+-------+-------+--+---+
//   with SS == 1 (supersection): [31:24] PA[31:24], [23:16] PA[39:32], [15:12] 0.
// 32-bit PAR, F == 1: [6:1] = DFSR bits {12 (ExT), 10 (FS[4]), 3:0 (FS[3:0])}.
//
// 64-bit PAR (TTBCR.EAE == 1), F == 0:
//   63    56 55    40 39          12 11   10  9   8  7 6    1  0
//  +--------+--------+--------------+----+---+---+-----+------+---+
//  |  ATTR  |  0     |  PA[39:12]   | 1  |IMP|NS | SH  |  0   | 0 |
//  +--------+--------+--------------+----+---+---+-----+------+---+
// 64-bit PAR, F == 1: [11] LPAE 1, [9] FSTAGE 0, [8] S2WLK 0, [6:1] FST, [0] 1.
//
// ptsim writes 0 in every IMPLEMENTATION DEFINED bit, as QEMU does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/hw/arch/arm/translate.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm {

namespace par {
inline constexpr BitField f = flag(0);
// 32-bit format.
inline constexpr BitField ss = flag(1);
inline constexpr BitField outer = field(3, 2);
inline constexpr BitField inner = field(6, 4);
inline constexpr BitField sh = flag(7);
inline constexpr BitField ns = flag(9);
inline constexpr BitField nos = flag(10);
inline constexpr BitField lpae = flag(11);
inline constexpr BitField pa = field(31, 12);
inline constexpr BitField ss_pa_31_24 = field(31, 24);
inline constexpr BitField ss_pa_39_32 = field(23, 16);
inline constexpr BitField fs_3_0 = field(4, 1);
inline constexpr BitField fs_4 = flag(5);
inline constexpr BitField ext = flag(6);
// 64-bit format.
inline constexpr BitField fst = field(6, 1);
inline constexpr BitField sh64 = field(8, 7);
inline constexpr BitField s2wlk = flag(8);
inline constexpr BitField fstage = flag(9);
inline constexpr BitField pa64 = field(39, 12);
inline constexpr BitField attr = field(63, 56);
}  // namespace par

// The short-descriptor fault status FS[4:0] (Table B3-23) of a fault at
// `level` (1 or 2):
//   translation 0b00101/0b00111, access flag 0b00011/0b00110,
//   domain 0b01001/0b01011, permission 0b01101/0b01111,
//   external abort on the walk 0b01100/0b01110.
unsigned short_fault_status(FaultKind kind, unsigned level);
// The long-descriptor fault status FSC[5:0] (Table B3-24): address size
// 0b0000LL, translation 0b0001LL, access flag 0b0010LL, permission
// 0b0011LL, external abort on the walk 0b0101LL, LL the level.
unsigned long_fault_status(FaultKind kind, unsigned level);

// The PAR Inner[2:0] and Outer[1:0] encodings of resolved attributes:
// Inner 000 Non-cacheable, 001 Strongly-ordered, 011 Device, 101 WB-WA,
// 110 WT, 111 WB; Outer 00 NC, 01 WB-WA, 10 WT, 11 WB.
unsigned par_inner(const MemoryAttributes& m);
unsigned par_outer(const MemoryAttributes& m);

// The PAR of a translation's outcome, in the format TTBCR.EAE chose (the
// 32-bit one in bits [31:0] of the result).
uint64_t par_for(const Translation& t);

enum class AtsOp { ats1cpr, ats1cpw, ats1cur, ats1cuw };
std::string ats_op_name(AtsOp op);                    // "ATS1CPR", ...
std::optional<AtsOp> parse_ats_op(std::string_view);  // "ats1cpr", "ATS1CUW", ...
Access ats_access(AtsOp op);
// The operation asking the same question as `access`; none for execute.
std::optional<AtsOp> ats_op_for(Access access);

// Executes an ATS1C* operation with the registers as given and returns the
// PAR it leaves: the entry point for comparisons with QEMU.  Registers that
// break a rule are bad input (ptsim::Error).
uint64_t ats1c(const PhysMem& mem, const Registers& regs, AtsOp op, uint32_t va);
uint64_t ats1c(const PhysMem& mem, const Regime& regime, AtsOp op, uint32_t va);

// A reading of a PAR value: "PA 0x80001000 NS SH Inner 0b101 Outer 0b01" or
// "fault FS 0b00111 (translation, level 2)"; `lpae` selects the format.
std::string describe_par(uint64_t par, bool lpae);

}  // namespace ptsim::hw::arm
