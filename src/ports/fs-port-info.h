/* fs-port-info.h: one port discovery found, and the boards it may be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-board-profile.h"

G_BEGIN_DECLS

typedef enum {
  FS_PORT_KIND_USB,       /* a USB serial port: /dev/ttyUSB0, /dev/ttyACM0 */
  FS_PORT_KIND_VIRTUAL,   /* the virtual board: "sim:BOARD-ID" */
} FsPortKind;

#define FS_TYPE_PORT_INFO (fs_port_info_get_type ())
G_DECLARE_FINAL_TYPE (FsPortInfo, fs_port_info, FS, PORT_INFO, GObject)

/* A USB serial port. @syspath identifies it for removal; @vid and @pid
 * are its USB device's; @serial, @manufacturer and @product may be NULL.
 * @profiles (of FsBoardProfile, may be empty) are the boards it may be. */
FsPortInfo         *fs_port_info_new_usb           (const char   *name,
                                                    const char   *syspath,
                                                    guint16       vid,
                                                    guint16       pid,
                                                    const char   *serial,
                                                    const char   *manufacturer,
                                                    const char   *product,
                                                    GPtrArray    *profiles);
/* The virtual board as a port, "sim:" and @board_id; @profile may be
 * NULL when there is no such board (opening the port then says so) */
FsPortInfo         *fs_port_info_new_virtual       (const char     *board_id,
                                                    FsBoardProfile *profile);

FsPortKind          fs_port_info_get_kind          (FsPortInfo   *self);
/* What to open: a device path, or "sim:BOARD-ID" (fs_transport_new_for_port) */
const char         *fs_port_info_get_name          (FsPortInfo   *self);
/* The device's sysfs path; NULL for the virtual board */
const char         *fs_port_info_get_syspath       (FsPortInfo   *self);
guint16             fs_port_info_get_vid           (FsPortInfo   *self);
guint16             fs_port_info_get_pid           (FsPortInfo   *self);
const char         *fs_port_info_get_serial        (FsPortInfo   *self);
const char         *fs_port_info_get_manufacturer  (FsPortInfo   *self);
const char         *fs_port_info_get_product       (FsPortInfo   *self);
/* A virtual board's MAC, known before it is opened (each board has its
 * own: fs_sim_board_mac_for_id()); NULL for a USB port */
const char         *fs_port_info_get_mac           (FsPortInfo   *self);
/* Whether @other is the board of @self back on a port of its own, as after
 * an unplug: the same USB bridge (VID:PID) with the same serial number, or,
 * for a bridge without one, the same device node */
gboolean            fs_port_info_is_same_board     (FsPortInfo   *self,
                                                    FsPortInfo   *other);
/* Of FsBoardProfile, sorted by name: none for a bridge no profile knows,
 * several for a common bridge, when the user must say which */
GPtrArray          *fs_port_info_get_profiles      (FsPortInfo   *self);
/* The board the port is taken to be: the only candidate, or the one the
 * user chose for this USB serial number; NULL when the user must choose.
 * Property "profile", notified when it changes. */
FsBoardProfile     *fs_port_info_get_profile       (FsPortInfo   *self);
void                fs_port_info_set_profile       (FsPortInfo     *self,
                                                    FsBoardProfile *profile);
/* Why the user may not open the port and how to fix it, or NULL when
 * nothing is known against it. Property "access-problem". */
const char         *fs_port_info_get_access_problem (FsPortInfo  *self);
void                fs_port_info_set_access_problem (FsPortInfo  *self,
                                                     const char  *problem);

G_END_DECLS
