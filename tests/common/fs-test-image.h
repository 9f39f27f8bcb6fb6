/* fs-test-image.h: app images for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-chip.h"
#include <glib.h>

G_BEGIN_DECLS

/* A valid app image for @chip: an app description naming @project,
 * version "1.2.3", then about @size bytes of code drawn from @seed */
GBytes *fs_test_app_image (FsChipId    chip,
                           const char *project,
                           gsize       size,
                           guint32     seed);

/* A second-stage bootloader for the ESP32 as ESP-IDF lays one out
 * (segments loaded into DRAM and IRAM, SHA-256 appended), its header
 * naming a flash of 1 MiB << @flash_size_code */
GBytes *fs_test_bootloader_image (guint8 flash_size_code);

/* A factory image as ESP-IDF merges one: a bootloader at 0x1000, the
 * partition table of the built-in @layout at 0x8000, @app at 0x10000 */
GBytes *fs_test_factory_image (GBytes     *app,
                               const char *layout);

/* An app image for the ESP32 naming @project that the virtual board
 * boots, holding @strings, NUL-terminated ("FSSIM:PRINT:text" makes the
 * board print the text after booting; see fs-sim-boot.h) */
GBytes *fs_test_printing_app   (const char         *project,
                                const char * const *strings);

/* A whole flash of @fill_to bytes (0: no more than needed) that boots
 * on the virtual board: a bootloader at 0x1000, a table with a factory
 * app at 0x10000, and there an app holding @strings, NUL-terminated
 * ("FSSIM:PRINT:text" makes the board print the text after booting) */
GBytes *fs_test_printing_flash (const char * const *strings,
                                guint64             fill_to);

/* What a whole flash laid out as the esp32-8mb layout holds, for
 * fs_test_boot_flash(); NULL parts are left erased */
typedef struct {
  GBytes *bootloader;      /* at 0x1000 */
  gboolean table;          /* the layout's, at 0x8000 */
  gint     otadata_slot;   /* the slot otadata selects; -1: erased */
  GBytes *vm0;             /* at 0x010000 */
  GBytes *vm1;             /* at 0x110000 */
  GBytes *bytecode0;       /* at 0x210000 */
} FsTestFlash;

/* 8 MiB of flash holding @spec */
GBytes *fs_test_boot_flash     (const FsTestFlash *spec);

/* A copy of @bytes with the byte at @offset XORed with @mask */
GBytes *fs_test_bytes_flip     (GBytes            *bytes,
                                gsize              offset,
                                guint8             mask);

G_END_DECLS
