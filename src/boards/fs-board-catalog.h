/* fs-board-catalog.h: every board profile, shipped and the user's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-board-profile.h"

G_BEGIN_DECLS

#define FS_TYPE_BOARD_CATALOG (fs_board_catalog_get_type ())
G_DECLARE_FINAL_TYPE (FsBoardCatalog, fs_board_catalog, FS, BOARD_CATALOG, GObject)

/* Loads the shipped profiles, then every "*.board" file of @user_dir (the
 * application passes g_get_user_config_dir()/flash-studio/boards; NULL or
 * a folder that does not exist: none). A user profile with the id of a
 * shipped one replaces it. A file that does not load is skipped and its
 * error kept for fs_board_catalog_get_problems(): loading never fails. */
FsBoardCatalog *fs_board_catalog_new           (const char     *user_dir);

/* Of FsBoardProfile, sorted by name */
GPtrArray      *fs_board_catalog_get_profiles  (FsBoardCatalog *self);
FsBoardProfile *fs_board_catalog_lookup        (FsBoardCatalog *self,
                                                const char     *id);
/* Every profile fs_board_profile_matches_usb() accepts, sorted by name:
 * many boards share a bridge, so the caller may have to ask which. */
GPtrArray      *fs_board_catalog_match_usb     (FsBoardCatalog *self,
                                                guint16         vid,
                                                guint16         pid,
                                                const char     *product);
/* Of FsProblem, one per skipped file: the subject is the file's path, the
 * message starts with "PATH:LINE: " */
GPtrArray      *fs_board_catalog_get_problems  (FsBoardCatalog *self);

G_END_DECLS
