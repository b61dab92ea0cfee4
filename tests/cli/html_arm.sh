#!/usr/bin/env bash
# ptsim boot --arch arm --html in a browser: the classic MMU (short
# descriptors) on vexpress-a9 and LPAE (long descriptors) on virt.
ptsim=$1
source "$(dirname "$0")/html_lib.bash"

"$ptsim" boot --arch arm --html "$tmp/arm.html" > /dev/null || fail "arm boot exit $?"
browse "$tmp/arm.html" arm-boot --tables --kind block --kind page \
  --region user --region modules --region pkmap --region vmalloc --region fixmap --region vectors \
  --region "kernel image" --region "lowmem (linear map)"

"$ptsim" boot --arch arm --machine virt --lpae --stage final --html "$tmp/arm-lpae.html" > /dev/null ||
  fail "arm LPAE boot exit $?"
browse "$tmp/arm-lpae.html" arm-lpae-boot --tables --kind block --kind page \
  --region vectors --region pkmap --region "lowmem (linear map)"
