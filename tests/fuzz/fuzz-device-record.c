/* fuzz-device-record.c: device records as the registry reads them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <string.h>

#include "fs-device-record.h"
#include "fuzz.h"

#define ORIGIN "fuzz.json"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsDeviceRecord) record = fs_device_record_new_from_data ((const char *) data, size, ORIGIN, &error);
  g_autoptr(FsDeviceRecord) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  if (record == NULL)
    {
      /* Every error names the file */
      g_assert (g_str_has_prefix (error->message, ORIGIN ": "));
      return 0;
    }

  /* What was read is written so that it reads back the same */
  g_assert (fs_device_mac_is_valid (fs_device_record_get_mac (record)));
  g_assert (fs_device_record_get_uploads (record)->len <= FS_DEVICE_RECORD_MAX_UPLOADS);
  text = fs_device_record_to_data (record);
  again = fs_device_record_new_from_data (text, strlen (text), ORIGIN, &error);
  g_assert (again != NULL);
  text_again = fs_device_record_to_data (again);
  g_assert (g_str_equal (text, text_again));
  return 0;
}
