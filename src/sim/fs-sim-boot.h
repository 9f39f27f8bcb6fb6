/* fs-sim-boot.h: what a virtual ESP32 prints when it boots from its flash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fs-sim-app.h"
#include "fs-sim-chip.h"

G_BEGIN_DECLS

/* The reset causes the ROM names on its "rst:" line */
typedef enum {
  FS_SIM_RESET_POWERON    = 0x01,  /* power on, or the EN pin */
  FS_SIM_RESET_SW         = 0x0C,  /* esp_restart(): SW_CPU_RESET */
  FS_SIM_RESET_RTCWDT_RTC = 0x10,  /* what esptool's soft reset looks like */
} FsSimResetReason;

/* What the board does after a reset into run mode (IO0 high): the ROM
 * checks the second-stage bootloader at 0x1000, the bootloader reads the
 * partition table at 0x8000 and otadata, picks the app partition and
 * checks its image, then the app starts and, as a Zerynth VM does, runs
 * the program in the bytecode slot of its FOTA slot: the data partitions
 * of subtype 0x40, in table order, the first for ota_0 (or a factory
 * app), the second for ota_1. What the app and the program print is
 * what they declare with FSSIM strings (fs-sim-app.h). */
typedef struct {
  char      *log;             /* ROM, bootloader and app start-up lines, each ending "\r\n" */
  gboolean   app_running;     /* FALSE when a check failed: @log ends with what failed */
  char      *partition;       /* label of the partition it booted, or NULL */
  guint32    app_offset;      /* and where that partition starts */
  gint       ota_slot;        /* the ota_N slot booted, -1 for a factory app or none */
  char      *program_partition; /* label of the bytecode slot it runs, or NULL */
  FsSimApp  *app;             /* what the app and its program declare; empty unless running */
  char      *elf_sha256;      /* the start of the app's ELF SHA-256 in hex, as ESP-IDF prints it */
  guint      app_start_ms;    /* ESP-IDF's log clock when app_main() was called */
} FsSimBoot;

FsSimBoot *fs_sim_boot_run             (const guint8          *flash,
                                        gsize                  flash_size,
                                        const FsSimChipConfig *chip,
                                        FsSimResetReason       reason);
void       fs_sim_boot_free            (FsSimBoot             *boot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsSimBoot, fs_sim_boot_free)

/* What the ROM prints on a reset with IO0 held low: its banner, the
 * reset cause, "boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))"
 * and "waiting for download". */
char      *fs_sim_boot_download_banner (FsSimResetReason       reason);

G_END_DECLS
