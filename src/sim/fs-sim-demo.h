/* fs-sim-demo.h: the demo firmware for the virtual board, made by the project
 *
 * A package a newcomer can flash on the virtual board: a bootloader, the
 * partition table of the built-in layout FS_SIM_DEMO_LAYOUT, a "VM" app
 * whose FSSIM strings (fs-sim-app.h) make the board print an ESP-IDF app's
 * log, two programs for its bytecode slot, and an ESP Web Tools manifest.
 * Built from nothing but the project's version, byte for byte the same at
 * each build. A real ESP32 cannot run any of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The project name of the app's description: what tells the demo app apart */
#define FS_SIM_DEMO_PROJECT "flash-studio-virtual-demo"
#define FS_SIM_DEMO_LAYOUT  "esp32-8mb"

/* The parts by name: "bootloader", "partition-table", "app", "program-1",
 * "program-2" and "manifest", in that order, NULL-terminated */
const char * const *fs_sim_demo_get_part_names (void);
/* The file a part is kept in: "bootloader.bin", "partition-table.bin",
 * "flash-studio-virtual-demo.bin", "demo-program-1.bin",
 * "demo-program-2.bin", "manifest.json"; NULL for a name it does not know */
const char         *fs_sim_demo_get_file_name  (const char  *name);
/* A part's bytes, for one of the names above */
GBytes             *fs_sim_demo_build_part     (const char  *name,
                                                GError     **error);

G_END_DECLS
