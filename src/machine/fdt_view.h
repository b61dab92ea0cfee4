// A checked, read-only view of a device-tree blob over libfdt.
//
// FdtView::checked() is the only way to make one: it copies the blob into
// 8-byte-aligned storage, proves the header and the whole structure block
// sound (fdt_check_header, fdt_check_full) and otherwise throws bad_input
// naming libfdt's reason and the byte offset.  Every accessor then checks
// property lengths before it reads, so no reader code can step outside the
// blob whatever the blob says.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptsim/error.h"
#include "ptsim/machine/machine.h"

namespace ptsim::machine {

// The big-endian 32-bit cells of one property value.
class CellReader {
 public:
  CellReader(const uint8_t* data, size_t length) : data_(data), length_(length) {}
  size_t byte_length() const { return length_; }
  size_t count() const { return length_ / 4; }  // whole cells only
  // The number made of cells [index, index + cells), as of_read_number does
  // (a u64 keeps the low 64 bits).  The caller has checked the range.
  uint64_t read(size_t index, unsigned cells) const;

 private:
  const uint8_t* data_;
  size_t length_;
};

class FdtView {
 public:
  static FdtView checked(std::span<const uint8_t> blob, std::string_view source);

  const void* blob() const { return storage_.data(); }
  const std::string& source() const { return source_; }

  // An Error naming the source, libfdt's reason for `fdt_err` and the offset.
  Error error(int fdt_err, uint64_t offset, std::string_view doing) const;

  // Subnode iteration; -1 at the end.
  int first_subnode(int node) const;
  int next_subnode(int node) const;
  int path_offset(const std::string& path) const;  // negative when absent (aliases resolved)
  std::string name(int node) const;
  std::string path(int node) const;

  bool has(int node, const char* prop) const;
  // A property that must be one 32-bit cell; bad_input if it is another length.
  std::optional<uint32_t> optional_u32(int node, const char* prop) const;
  // A string property, up to its first NUL (or its whole length if none).
  std::optional<std::string> optional_string(int node, const char* prop) const;
  // A NUL-separated string list ("compatible"); empty when absent.
  std::vector<std::string> string_list(int node, const char* prop) const;
  CellReader cells(int node, const char* prop) const;  // the property must exist
  // `status` absent, "okay" or "ok" (of_fdt_device_is_available).
  bool is_available(int node) const;
  // The node's first reg pair, translated through its ancestors' `ranges` to
  // a CPU physical address; nullopt (with a note) when it cannot be.
  std::optional<Range> translated_reg(int node, std::vector<std::string>& notes) const;

 private:
  FdtView(std::vector<uint64_t> storage, std::string source)
      : storage_(std::move(storage)), source_(std::move(source)) {}
  const uint8_t* prop(int node, const char* name, int* length) const;

  std::vector<uint64_t> storage_;  // 8-byte aligned copy of the blob
  std::string source_;
};

}  // namespace ptsim::machine
