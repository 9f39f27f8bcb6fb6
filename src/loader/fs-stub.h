/* fs-stub.h: finding the stub loader a user has installed
 *
 * Flash Studio ships no stub: it uses the one that comes with esptool
 * (pip) or esptool-js (npm), where they install it, or a file the user
 * names. Without one, everything works on the ROM loader alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fs-chip.h"

G_BEGIN_DECLS

/* The stub JSON files that could hold @chip's stub, most preferred first:
 * under each of @roots (NULL-terminated, may be NULL) and then the usual
 * places of esptool and esptool-js (Python site-packages of the user, of
 * the system and of ESP-IDF; npm's global folders). */
GPtrArray *fs_stub_candidates (FsChipId            chip,
                               const char * const *roots);
/* The first candidate that exists, read; @path gets where it was found.
 * FS_ERROR_NOT_FOUND says how to install one. */
GBytes    *fs_stub_find       (FsChipId            chip,
                               const char * const *roots,
                               char              **path,
                               GError            **error);

G_END_DECLS
