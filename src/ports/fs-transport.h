/* fs-transport.h: a byte link to a board, whatever carries it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  FS_TRANSPORT_CAN_SET_LINES = 1 << 0,   /* DTR and RTS reach the board */
  FS_TRANSPORT_CAN_SET_BAUD  = 1 << 1,   /* the baud is the link's, not only the board's */
} FsTransportCaps;

/* What went over the link, for a recording of a session */
typedef enum {
  FS_TRANSPORT_EVENT_WRITE,
  FS_TRANSPORT_EVENT_READ,
  FS_TRANSPORT_EVENT_LINES,   /* data: two bytes, DTR then RTS */
  FS_TRANSPORT_EVENT_BAUD,    /* data: the baud, 4 bytes little-endian */
} FsTransportEvent;

typedef void (*FsTransportRecordFunc) (FsTransportEvent  event,
                                       const guint8     *data,
                                       gsize             len,
                                       gpointer          user_data);

#define FS_TYPE_TRANSPORT (fs_transport_get_type ())
G_DECLARE_DERIVABLE_TYPE (FsTransport, fs_transport, FS, TRANSPORT, GObject)

struct _FsTransportClass
{
  GObjectClass parent_class;

  gboolean (*open)        (FsTransport   *self,
                           GError       **error);
  void     (*close)       (FsTransport   *self);
  gssize   (*read)        (FsTransport   *self,
                           guint8        *buffer,
                           gsize          len,
                           guint          timeout_ms,
                           GCancellable  *cancellable,
                           GError       **error);
  gboolean (*write)       (FsTransport   *self,
                           const guint8  *data,
                           gsize          len,
                           GCancellable  *cancellable,
                           GError       **error);
  gboolean (*set_baud)    (FsTransport   *self,
                           guint          baud,
                           GError       **error);
  gboolean (*set_lines)   (FsTransport   *self,
                           gboolean       dtr,
                           gboolean       rts,
                           GError       **error);
  gboolean (*flush_input) (FsTransport   *self,
                           GError       **error);
};

/* Every byte to and from a board goes through these two functions, so
 * that a session can be recorded (fs_transport_set_recorder) and replayed. */
gssize          fs_transport_read         (FsTransport            *self,
                                           guint8                 *buffer,
                                           gsize                   len,
                                           guint                   timeout_ms,
                                           GCancellable           *cancellable,
                                           GError                **error);
gboolean        fs_transport_write        (FsTransport            *self,
                                           const guint8           *data,
                                           gsize                   len,
                                           GCancellable           *cancellable,
                                           GError                **error);

gboolean        fs_transport_open         (FsTransport            *self,
                                           GError                **error);
void            fs_transport_close        (FsTransport            *self);
gboolean        fs_transport_get_is_open  (FsTransport            *self);
/* The port as the user named it: "/dev/ttyUSB0", "rfc2217://host:4000"… */
const char     *fs_transport_get_name     (FsTransport            *self);
FsTransportCaps fs_transport_get_caps     (FsTransport            *self);
guint           fs_transport_get_baud     (FsTransport            *self);
gboolean        fs_transport_set_baud     (FsTransport            *self,
                                           guint                   baud,
                                           GError                **error);
/* TRUE with nothing done on a link without the lines (see get_caps) */
gboolean        fs_transport_set_lines    (FsTransport            *self,
                                           gboolean                dtr,
                                           gboolean                rts,
                                           GError                **error);
/* Forgets what arrived and was not read yet */
gboolean        fs_transport_flush_input  (FsTransport            *self,
                                           GError                **error);
void            fs_transport_set_recorder (FsTransport            *self,
                                           FsTransportRecordFunc   func,
                                           gpointer                user_data);

G_END_DECLS
