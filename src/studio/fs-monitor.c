/* fs-monitor.c: a serial monitor on a board's port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-monitor.h"

#define READ_TIMEOUT_MS   50
#define BATCH_MS          10
#define RESET_PULSE_MS    100
#define RETRY_MS          500
#define DEFAULT_BAUD      115200

struct _FsMonitor
{
  GObject         parent_instance;
  FsTransport    *transport;
  FsMonitorState  state;
  gboolean        opened;      /* start() opened the transport: stop() closes it */
  guint64         bytes_received;
  guint           baud;
  GSource        *retry;       /* opens the port again while DISCONNECTED */
  GSource        *reset_release;   /* ends the EN pulse of fs_monitor_reset() */
  GMainContext   *context;     /* of the caller of start() */
  GThread        *thread;
  GCancellable   *cancellable;
  gint            stop;        /* atomic: the reader thread ends */

  /* Shared with the reader thread */
  GMutex          lock;
  GByteArray     *pending;
  GSource        *batch;       /* the source that hands @pending on, or NULL */
  gboolean        lost;        /* the port went away: the thread has ended */
};

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_STATE,
  PROP_BAUD,
  N_PROPS
};

enum {
  SIGNAL_DATA,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE (FsMonitor, fs_monitor, G_TYPE_OBJECT)

static void
set_state (FsMonitor      *self,
           FsMonitorState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* In the caller's context: what arrived since the last batch */
static void
deliver_pending (FsMonitor *self)
{
  g_autoptr(GBytes) bytes = NULL;

  g_mutex_lock (&self->lock);
  if (self->pending->len > 0)
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->pending));
  if (self->pending == NULL)
    self->pending = g_byte_array_new ();
  g_mutex_unlock (&self->lock);

  if (bytes == NULL)
    return;
  self->bytes_received += g_bytes_get_size (bytes);
  g_signal_emit (self, signals[SIGNAL_DATA], 0, bytes);
}

static void
join_thread (FsMonitor *self)
{
  g_atomic_int_set (&self->stop, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->thread, g_thread_join);
  g_clear_object (&self->cancellable);
}

static void start_retry (FsMonitor *self);

/* The port went away: whoever opened it, the link is dead. Closed, and
 * looked for again: reading stops before a job may take the port, so
 * none is using it. */
static void
lose_port (FsMonitor *self)
{
  fs_transport_close (self->transport);
  self->opened = FALSE;
  start_retry (self);
  set_state (self, FS_MONITOR_STATE_DISCONNECTED);
}

static gboolean
batch_cb (gpointer user_data)
{
  FsMonitor *self = user_data;
  gboolean lost;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->batch, g_source_unref);
  lost = self->lost;
  g_mutex_unlock (&self->lock);

  deliver_pending (self);
  if (lost && self->thread != NULL)
    {
      join_thread (self);
      lose_port (self);
    }
  return G_SOURCE_REMOVE;
}

/* With the lock held: a batch in @delay_ms unless one is due already */
static void
schedule_batch (FsMonitor *self,
                guint      delay_ms)
{
  if (self->batch != NULL)
    return;
  self->batch = g_timeout_source_new (delay_ms);
  g_source_set_callback (self->batch, batch_cb, self, NULL);
  g_source_attach (self->batch, self->context);
}

static gpointer
reader_thread (gpointer user_data)
{
  FsMonitor *self = user_data;
  guint8 buffer[4096];

  while (!g_atomic_int_get (&self->stop))
    {
      g_autoptr(GError) error = NULL;
      gssize n = fs_transport_read (self->transport, buffer, sizeof buffer, READ_TIMEOUT_MS,
                                    self->cancellable, &error);

      if (n < 0)
        {
          if (g_error_matches (error, FS_ERROR, FS_ERROR_CANCELLED) ||
              g_atomic_int_get (&self->stop))
            break;
          g_debug ("monitor on %s: %s", fs_transport_get_name (self->transport), error->message);
          g_mutex_lock (&self->lock);
          self->lost = TRUE;
          if (self->batch != NULL)
            g_source_set_ready_time (self->batch, 0);
          else
            schedule_batch (self, 0);
          g_mutex_unlock (&self->lock);
          break;
        }
      if (n == 0)
        continue;
      g_mutex_lock (&self->lock);
      g_byte_array_append (self->pending, buffer, n);
      schedule_batch (self, BATCH_MS);
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

static void
start_reading (FsMonitor *self)
{
  self->lost = FALSE;
  g_atomic_int_set (&self->stop, FALSE);
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("fs-monitor", reader_thread, self);
  set_state (self, FS_MONITOR_STATE_RUNNING);
}

/* Opens the port unless it is open, at the monitor's baud */
static gboolean
take_port (FsMonitor  *self,
           GError    **error)
{
  if (!fs_transport_get_is_open (self->transport))
    {
      if (!fs_transport_open (self->transport, error))
        return FALSE;
      self->opened = TRUE;
    }
  return fs_transport_get_baud (self->transport) == self->baud ||
         fs_transport_set_baud (self->transport, self->baud, error);
}

static gboolean
port_is_gone (const GError *error)
{
  return g_error_matches (error, FS_ERROR, FS_ERROR_NOT_FOUND) ||
         g_error_matches (error, FS_ERROR, FS_ERROR_DISCONNECTED);
}

static gboolean
retry_cb (gpointer user_data)
{
  FsMonitor *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!take_port (self, &error))
    {
      if (!port_is_gone (error))
        g_debug ("monitor on %s: %s", fs_transport_get_name (self->transport), error->message);
      return G_SOURCE_CONTINUE;
    }
  g_clear_pointer (&self->retry, g_source_unref);
  start_reading (self);
  return G_SOURCE_REMOVE;
}

static void
start_retry (FsMonitor *self)
{
  if (self->retry != NULL)
    return;
  self->retry = g_timeout_source_new (RETRY_MS);
  g_source_set_callback (self->retry, retry_cb, self, NULL);
  g_source_attach (self->retry, self->context);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

gboolean
fs_monitor_start (FsMonitor  *self,
                  GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (FS_IS_MONITOR (self), FALSE);

  if (self->state == FS_MONITOR_STATE_RUNNING)
    return TRUE;
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  if (!take_port (self, &local_error))
    {
      if (!port_is_gone (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      lose_port (self);
      return TRUE;
    }
  destroy_source (&self->retry);
  start_reading (self);
  return TRUE;
}

/* The reader thread joined and what it read handed on */
static void
stop_reading (FsMonitor *self)
{
  join_thread (self);
  destroy_source (&self->retry);
  g_mutex_lock (&self->lock);
  destroy_source (&self->batch);
  g_mutex_unlock (&self->lock);
  deliver_pending (self);
}

void
fs_monitor_pause (FsMonitor *self)
{
  g_return_if_fail (FS_IS_MONITOR (self));

  stop_reading (self);
  if (self->state != FS_MONITOR_STATE_STOPPED)
    set_state (self, FS_MONITOR_STATE_PAUSED);
}

void
fs_monitor_stop (FsMonitor *self)
{
  g_return_if_fail (FS_IS_MONITOR (self));

  stop_reading (self);
  if (self->opened)
    fs_transport_close (self->transport);
  self->opened = FALSE;
  set_state (self, FS_MONITOR_STATE_STOPPED);
}

void
fs_monitor_set_transport (FsMonitor   *self,
                          FsTransport *transport)
{
  g_return_if_fail (FS_IS_MONITOR (self));
  g_return_if_fail (FS_IS_TRANSPORT (transport));
  g_return_if_fail (self->state != FS_MONITOR_STATE_RUNNING);

  if (self->transport == transport)
    return;
  if (self->opened)
    fs_transport_close (self->transport);
  self->opened = FALSE;
  g_set_object (&self->transport, transport);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRANSPORT]);
  /* Try the new one at once rather than at the next half second */
  if (self->retry != NULL)
    g_source_set_ready_time (self->retry, 0);
}

guint
fs_monitor_get_baud (FsMonitor *self)
{
  g_return_val_if_fail (FS_IS_MONITOR (self), 0);
  return self->baud;
}

gboolean
fs_monitor_set_baud (FsMonitor  *self,
                     guint       baud,
                     GError    **error)
{
  g_return_val_if_fail (FS_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (baud > 0, FALSE);

  if (self->baud == baud)
    return TRUE;
  self->baud = baud;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BAUD]);
  if (self->state != FS_MONITOR_STATE_RUNNING)
    return TRUE;
  return fs_transport_set_baud (self->transport, baud, error);
}

FsMonitorState
fs_monitor_get_state (FsMonitor *self)
{
  g_return_val_if_fail (FS_IS_MONITOR (self), FS_MONITOR_STATE_STOPPED);
  return self->state;
}

const char *
fs_monitor_state_to_string (FsMonitorState state)
{
  switch (state)
    {
    case FS_MONITOR_STATE_STOPPED:
      return "stopped";
    case FS_MONITOR_STATE_RUNNING:
      return "running";
    case FS_MONITOR_STATE_DISCONNECTED:
      return "disconnected";
    case FS_MONITOR_STATE_PAUSED:
      return "paused";
    default:
      g_assert_not_reached ();
    }
}

guint64
fs_monitor_get_bytes_received (FsMonitor *self)
{
  g_return_val_if_fail (FS_IS_MONITOR (self), 0);
  return self->bytes_received;
}

FsTransport *
fs_monitor_get_transport (FsMonitor *self)
{
  g_return_val_if_fail (FS_IS_MONITOR (self), NULL);
  return self->transport;
}

static gboolean
check_open (FsMonitor  *self,
            GError    **error)
{
  if (fs_transport_get_is_open (self->transport))
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_DISCONNECTED,
               _("The monitor is not connected to “%s”: start it first"),
               fs_transport_get_name (self->transport));
  return FALSE;
}

gboolean
fs_monitor_send (FsMonitor     *self,
                 const char    *text,
                 FsLineEnding   ending,
                 GError       **error)
{
  static const char * const endings[] = {
    [FS_LINE_ENDING_NONE] = "",
    [FS_LINE_ENDING_CR] = "\r",
    [FS_LINE_ENDING_LF] = "\n",
    [FS_LINE_ENDING_CRLF] = "\r\n",
  };
  g_autofree char *line = NULL;

  g_return_val_if_fail (FS_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (ending <= FS_LINE_ENDING_CRLF, FALSE);

  if (!check_open (self, error))
    return FALSE;
  line = g_strconcat (text, endings[ending], NULL);
  return fs_transport_write (self->transport, (const guint8 *) line, strlen (line), NULL, error);
}

gboolean
fs_monitor_set_lines (FsMonitor  *self,
                      gboolean    dtr,
                      gboolean    rts,
                      GError    **error)
{
  g_return_val_if_fail (FS_IS_MONITOR (self), FALSE);

  return check_open (self, error) &&
         fs_transport_set_lines (self->transport, dtr, rts, error);
}

static gboolean
release_reset (gpointer user_data)
{
  FsMonitor *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->reset_release, g_source_unref);
  if (fs_transport_get_is_open (self->transport) &&
      !fs_transport_set_lines (self->transport, FALSE, FALSE, &error))
    g_debug ("monitor on %s: %s", fs_transport_get_name (self->transport), error->message);
  return G_SOURCE_REMOVE;
}

gboolean
fs_monitor_reset (FsMonitor  *self,
                  GError    **error)
{
  g_return_val_if_fail (FS_IS_MONITOR (self), FALSE);

  if (!fs_monitor_set_lines (self, FALSE, TRUE, error))
    return FALSE;
  destroy_source (&self->reset_release);
  self->reset_release = g_timeout_source_new (RESET_PULSE_MS);
  g_source_set_callback (self->reset_release, release_reset, self, NULL);
  g_source_attach (self->reset_release, g_main_context_get_thread_default ());
  return TRUE;
}

FsMonitor *
fs_monitor_new (FsTransport *transport)
{
  g_return_val_if_fail (FS_IS_TRANSPORT (transport), NULL);

  return g_object_new (FS_TYPE_MONITOR, "transport", transport, NULL);
}

static void
fs_monitor_dispose (GObject *object)
{
  FsMonitor *self = FS_MONITOR (object);

  if (self->state != FS_MONITOR_STATE_STOPPED)
    fs_monitor_stop (self);
  destroy_source (&self->reset_release);
  G_OBJECT_CLASS (fs_monitor_parent_class)->dispose (object);
}

static void
fs_monitor_finalize (GObject *object)
{
  FsMonitor *self = FS_MONITOR (object);

  g_clear_object (&self->transport);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_byte_array_unref (self->pending);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (fs_monitor_parent_class)->finalize (object);
}

static void
fs_monitor_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FsMonitor *self = FS_MONITOR (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_BAUD:
      g_value_set_uint (value, self->baud);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_monitor_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FsMonitor *self = FS_MONITOR (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      self->transport = g_value_dup_object (value);
      break;
    case PROP_BAUD:
      fs_monitor_set_baud (self, g_value_get_uint (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_monitor_class_init (FsMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_monitor_dispose;
  object_class->finalize = fs_monitor_finalize;
  object_class->get_property = fs_monitor_get_property;
  object_class->set_property = fs_monitor_set_property;

  props[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, FS_TYPE_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      FS_MONITOR_STATE_STOPPED, FS_MONITOR_STATE_PAUSED,
                      FS_MONITOR_STATE_STOPPED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_BAUD] =
    g_param_spec_uint ("baud", NULL, NULL, 1, G_MAXUINT, DEFAULT_BAUD,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_DATA] =
    g_signal_new ("data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES);
}

static void
fs_monitor_init (FsMonitor *self)
{
  g_mutex_init (&self->lock);
  self->pending = g_byte_array_new ();
  self->baud = DEFAULT_BAUD;
}
