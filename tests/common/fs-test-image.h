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

/* A factory image as ESP-IDF merges one: a bootloader at 0x1000, the
 * partition table of the built-in @layout at 0x8000, @app at 0x10000 */
GBytes *fs_test_factory_image (GBytes     *app,
                               const char *layout);

G_END_DECLS
