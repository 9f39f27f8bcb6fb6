/* fuzz-boot-log.c: a board's boot output classified
 *
 * The first byte picks the size of the pieces the rest is fed in, the
 * second whether an offset is expected. Fed in pieces or at once, the
 * verdict must be the same; once decided it stays; every text it gives
 * is valid UTF-8, and a board that does not boot says why and what to do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "fs-boot-log.h"
#include "fuzz.h"

static void
assert_text (const char *text)
{
  g_assert (text == NULL || g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FsBootLog) whole = fs_boot_log_new (115200);
  g_autoptr(FsBootLog) pieces = fs_boot_log_new (115200);
  gboolean was_decided = FALSE;
  guint32 expected;
  gsize piece;

  if (size < 2)
    return 0;
  piece = 1 + data[0] % 64;
  expected = data[1] % 2 == 0 ? G_MAXUINT32 : 0x10000;
  data += 2;
  size -= 2;
  fs_boot_log_set_expected_offset (whole, expected);
  fs_boot_log_set_expected_offset (pieces, expected);

  fs_boot_log_feed (whole, data, size);
  for (gsize at = 0; at < size; at += piece)
    {
      FsBootState before = fs_boot_log_get_state (pieces);

      fs_boot_log_feed (pieces, data + at, MIN (piece, size - at));
      if (was_decided)
        g_assert (fs_boot_log_get_state (pieces) == before);
      was_decided = fs_boot_log_get_decided (pieces);
    }
  fs_boot_log_finish (whole);
  fs_boot_log_finish (pieces);

  g_assert (fs_boot_log_get_decided (whole));
  g_assert (fs_boot_log_get_state (whole) == fs_boot_log_get_state (pieces));
  g_assert (fs_boot_log_get_problem (whole) == fs_boot_log_get_problem (pieces));
  g_assert (g_strcmp0 (fs_boot_log_get_reason (whole), fs_boot_log_get_reason (pieces)) == 0);
  g_assert (g_strcmp0 (fs_boot_log_get_project (whole), fs_boot_log_get_project (pieces)) == 0);
  g_assert (fs_boot_log_get_offset (whole) == fs_boot_log_get_offset (pieces));
  g_assert (fs_boot_log_get_state (whole) != FS_BOOT_STATE_PENDING);
  if (fs_boot_log_get_state (whole) == FS_BOOT_STATE_DOES_NOT_BOOT)
    g_assert (fs_boot_log_get_reason (whole) != NULL && fs_boot_log_get_hint (whole) != NULL);
  assert_text (fs_boot_log_get_reason (whole));
  assert_text (fs_boot_log_get_hint (whole));
  assert_text (fs_boot_log_get_evidence (whole));
  assert_text (fs_boot_log_get_project (whole));
  assert_text (fs_boot_log_get_version (whole));
  assert_text (fs_boot_log_get_partition (whole));
  return 0;
}
