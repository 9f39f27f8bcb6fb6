/* fs-board-profile.h: one board Flash Studio knows, read from a .board file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-chip.h"

G_BEGIN_DECLS

/* How the board gets into the ROM loader's download mode */
typedef enum {
  FS_BOARD_RESET_AUTO,     /* the bridge's DTR/RTS drive EN and IO0 (classic auto-reset) */
  FS_BOARD_RESET_MANUAL,   /* the user must act: jumper, buttons */
} FsBoardResetMethod;

const char *fs_board_reset_method_to_string (FsBoardResetMethod method);

/* A USB-to-serial bridge the board is seen as */
typedef struct {
  guint16  vid;
  guint16  pid;
  char    *product;       /* the USB product string it must have, or NULL: any */
  char    *description;   /* "Silicon Labs CP2102" */
} FsUsbBridge;

#define FS_TYPE_BOARD_PROFILE (fs_board_profile_get_type ())
G_DECLARE_FINAL_TYPE (FsBoardProfile, fs_board_profile, FS, BOARD_PROFILE, GObject)

/* Reads and checks a board file (see data/boards/README.md). Every error
 * starts with "@origin:LINE: " (the line of the offending key or group) so
 * that a user can find it in their own file. */
FsBoardProfile     *fs_board_profile_new_from_data       (const char      *data,
                                                          gsize            len,
                                                          const char      *origin,
                                                          GError         **error);
/* The profiles Flash Studio ships, by id ("heltec-wifi-kit-32") */
FsBoardProfile     *fs_board_profile_new_builtin         (const char      *id,
                                                          GError         **error);
GStrv               fs_board_profile_list_builtin        (void);

const char         *fs_board_profile_get_origin          (FsBoardProfile  *self);
const char         *fs_board_profile_get_id              (FsBoardProfile  *self);
const char         *fs_board_profile_get_name            (FsBoardProfile  *self);
const char         *fs_board_profile_get_vendor          (FsBoardProfile  *self);
const char         *fs_board_profile_get_vendor_url      (FsBoardProfile  *self);   /* or NULL */
FsChipId            fs_board_profile_get_chip            (FsBoardProfile  *self);
guint64             fs_board_profile_get_flash_size      (FsBoardProfile  *self);
guint               fs_board_profile_get_default_baud    (FsBoardProfile  *self);
guint               fs_board_profile_get_max_baud        (FsBoardProfile  *self);
FsBoardResetMethod  fs_board_profile_get_reset_method    (FsBoardProfile  *self);
/* What the user does to enter download mode, in order; for an auto-reset
 * board, what to do when the automatic reset fails. Never NULL. */
const char * const *fs_board_profile_get_steps           (FsBoardProfile  *self);
/* Said when the board must be reset by hand during a job, or NULL */
const char         *fs_board_profile_get_reset_prompt    (FsBoardProfile  *self);
/* Shown for as long as a job runs ("keep the Power button pressed"), or NULL */
const char         *fs_board_profile_get_hold_note       (FsBoardProfile  *self);
/* The button that note asks to hold ("Power button"), or NULL: the
 * virtual board stays in download mode only while it is held */
const char         *fs_board_profile_get_hold_button     (FsBoardProfile  *self);
/* Names of built-in layouts, each checked to exist. Never NULL. */
const char * const *fs_board_profile_get_layouts         (FsBoardProfile  *self);
guint               fs_board_profile_get_n_bridges       (FsBoardProfile  *self);
const FsUsbBridge  *fs_board_profile_get_bridge          (FsBoardProfile  *self,
                                                          guint            index);
/* "Flash Memory: 8 MB", one line per item, in file order. Never NULL. */
const char * const *fs_board_profile_get_summary         (FsBoardProfile  *self);
const char * const *fs_board_profile_get_missing_features (FsBoardProfile *self);

/* TRUE when one of the board's bridges has @vid:@pid and, if that bridge
 * names a product string, @product is that string. A NULL @product (not
 * known) is decided on the ids alone. */
gboolean            fs_board_profile_matches_usb         (FsBoardProfile  *self,
                                                          guint16          vid,
                                                          guint16          pid,
                                                          const char      *product);

G_END_DECLS
