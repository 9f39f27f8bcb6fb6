/* fs-error.h: the one error domain of Flash Studio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FS_ERROR (fs_error_quark ())

/* Codes are chosen so that a caller can decide what to tell the user
 * ("plug it back in", "fix the file", "add yourself to dialout"), not to
 * mirror where the failure came from. Other domains are converted at the
 * boundary. */
typedef enum {
  FS_ERROR_FAILED,            /* nothing more specific applies */
  FS_ERROR_INVALID_DATA,      /* a file or a reply is malformed */
  FS_ERROR_INVALID_ARGUMENT,  /* the request cannot be carried out as asked */
  FS_ERROR_NOT_SUPPORTED,
  FS_ERROR_NOT_FOUND,
  FS_ERROR_TIMED_OUT,
  FS_ERROR_NO_ANSWER,         /* nothing answered at all: wrong port, no board */
  FS_ERROR_PERMISSION_DENIED,
  FS_ERROR_DISCONNECTED,
  FS_ERROR_CANCELLED,
  FS_ERROR_VERIFY_FAILED,
  FS_ERROR_LOADER,            /* the ROM loader or stub answered with a failure */
  FS_ERROR_WOULD_NOT_BOOT,    /* refused: after this write the board could not start its firmware */
  FS_ERROR_FLASH_SIZE,        /* refused: the bootloader's header names a flash too small for the table; it can be set when writing */
} FsError;

GQuark fs_error_quark (void);

G_END_DECLS
