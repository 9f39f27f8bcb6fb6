/* fs-monitor-view.c: the selected board's serial monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-flash.h"
#include "fs-monitor-text.h"
#include "fs-monitor-view.h"

#define SCHEMA_ID "io.github.flashstudio.FlashStudio"
/* What VTE's search regexes need: PCRE2_MULTILINE, and PCRE2_CASELESS
 * for a search as people expect it (pcre2.h is not a VTE dependency) */
#define SEARCH_FLAGS (0x00000400u | 0x00000008u)
/* Output held while the view does not follow it, at most */
#define HELD_MAX (4 * 1024 * 1024)

static const guint bauds[] = { 9600, 19200, 38400, 57600, 74880, 115200, 230400, 460800, 921600,
                               1500000, 2000000 };

struct _FsMonitorView
{
  GtkWidget        parent_instance;

  GtkWidget       *box;   /* bound so that dispose_template() unparents it */
  GtkLabel        *status_label;
  GtkDropDown     *baud_dropdown;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  VteTerminal     *terminal;
  GtkEntry        *send_entry;
  GtkDropDown     *ending_dropdown;

  GSettings       *settings;
  FsBoardSession  *session;
  FsMonitor       *monitor;
  FsMonitorState   state;

  gboolean         follow;
  gboolean         hex;
  gboolean         timestamps;
  gboolean         dtr;
  gboolean         rts;
  gboolean         logging;

  FsLineStamper   *stamper;
  FsHexDumper     *hex_dumper;
  gboolean         last_was_cr;     /* of the text fed, for lone LFs */
  gboolean         at_line_start;   /* of the terminal, for notices */
  GByteArray      *held;            /* output while not following */
  guint64          held_dropped;

  FsAnsiStripper  *log_stripper;
  GOutputStream   *log_stream;
  GFile           *log_file;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_FOLLOW,
  PROP_HEX,
  PROP_TIMESTAMPS,
  PROP_DTR,
  PROP_RTS,
  PROP_LOGGING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsMonitorView, fs_monitor_view, GTK_TYPE_WIDGET)

/* ---- the terminal ---- */

static void
feed (FsMonitorView *self,
      const char    *data,
      gsize          len)
{
  if (len == 0)
    return;
  vte_terminal_feed (self->terminal, data, len);
  self->at_line_start = data[len - 1] == '\n';
}

/* A line of the view's own, dimmed, never inside a line of the board's */
static void
notice (FsMonitorView *self,
        const char    *text)
{
  g_autofree char *line = g_strdup_printf ("\033[2;3m— %s —\033[0m\r\n", text);

  if (!self->at_line_start)
    feed (self, "\r\n", 2);
  feed (self, line, strlen (line));
}

/* A terminal moves down on LF without going back to the first column:
 * a board that ends lines with LF alone gets CR LF */
static void
append_text (FsMonitorView *self,
             const guint8  *data,
             gsize          len,
             GString       *out)
{
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n' && !self->last_was_cr)
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
      self->last_was_cr = data[i] == '\r';
    }
}

static void
show (FsMonitorView *self,
      const guint8  *data,
      gsize          len)
{
  g_autoptr(GString) text = g_string_sized_new (len + len / 8);
  g_autoptr(GString) out = NULL;

  if (self->hex)
    {
      g_autoptr(GString) dump = g_string_new (NULL);

      fs_hex_dumper_feed (self->hex_dumper, data, len, dump);
      fs_hex_dumper_flush (self->hex_dumper, dump);
      append_text (self, (const guint8 *) dump->str, dump->len, text);
      feed (self, text->str, text->len);
      return;
    }
  append_text (self, data, len, text);
  if (!self->timestamps)
    {
      feed (self, text->str, text->len);
      return;
    }
  out = g_string_sized_new (text->len + 64);
  fs_line_stamper_feed (self->stamper, (const guint8 *) text->str, text->len, out);
  feed (self, out->str, out->len);
}

/* ---- what the board says ---- */

static void
log_output (FsMonitorView *self,
            const guint8  *data,
            gsize          len)
{
  g_autoptr(GByteArray) plain = g_byte_array_sized_new (len);
  g_autoptr(GError) error = NULL;

  fs_ansi_stripper_feed (self->log_stripper, data, len, plain);
  if (g_output_stream_write_all (self->log_stream, plain->data, plain->len, NULL, NULL, &error))
    return;
  {
    g_autofree char *path = g_file_get_parse_name (self->log_file);
    g_autofree char *text = g_strdup_printf (_("Logging to “%s” stopped: %s"), path, error->message);

    notice (self, text);
  }
  fs_monitor_view_stop_log (self);
}

static void update_status (FsMonitorView *self);

static void
hold (FsMonitorView *self,
      const guint8  *data,
      gsize          len)
{
  g_byte_array_append (self->held, data, len);
  if (self->held->len > HELD_MAX)
    {
      gsize excess = self->held->len - HELD_MAX;

      g_byte_array_remove_range (self->held, 0, excess);
      self->held_dropped += excess;
    }
  update_status (self);
}

static void
on_data (FsMonitor     *monitor,
         GBytes        *bytes,
         FsMonitorView *self)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (self->log_stream != NULL)
    log_output (self, data, len);
  if (self->follow)
    show (self, data, len);
  else
    hold (self, data, len);
}

static void
release_held (FsMonitorView *self)
{
  if (self->held_dropped > 0)
    {
      g_autofree char *size = fs_format_size_approx (self->held_dropped);
      g_autofree char *text = g_strdup_printf (_("%s of output not shown: held too long (a log file keeps everything)"),
                                               size);

      notice (self, text);
      self->held_dropped = 0;
    }
  show (self, self->held->data, self->held->len);
  g_byte_array_set_size (self->held, 0);
}

/* ---- the state of the port ---- */

static guint
baud_index (guint baud)
{
  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    if (bauds[i] == baud)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
update_status (FsMonitorView *self)
{
  g_autofree char *text = NULL;
  const char *port = self->monitor != NULL ? fs_transport_get_name (fs_monitor_get_transport (self->monitor)) : "";

  switch (self->state)
    {
    case FS_MONITOR_STATE_RUNNING:
      text = g_strdup_printf (_("%s at %u baud"), port, fs_monitor_get_baud (self->monitor));
      break;
    case FS_MONITOR_STATE_PAUSED:
      text = g_strdup (_("A job is using the port"));
      break;
    case FS_MONITOR_STATE_DISCONNECTED:
      text = g_strdup (_("Waiting for the board to come back…"));
      break;
    case FS_MONITOR_STATE_STOPPED:
    default:
      text = g_strdup (_("Not connected"));
      break;
    }
  if (!self->follow && self->held->len > 0)
    {
      g_autofree char *size = fs_format_size_approx (self->held->len);
      g_autofree char *state = g_steal_pointer (&text);

      text = g_strdup_printf (_("%s · held: %s"), state, size);
    }
  gtk_label_set_text (self->status_label, text);
}

static void
set_lines_property (FsMonitorView *self,
                    gboolean       dtr,
                    gboolean       rts)
{
  if (self->dtr != dtr)
    {
      self->dtr = dtr;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DTR]);
    }
  if (self->rts != rts)
    {
      self->rts = rts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RTS]);
    }
}

static void
say_state_change (FsMonitorView  *self,
                  FsMonitorState  from,
                  FsMonitorState  to)
{
  const char *port = fs_transport_get_name (fs_monitor_get_transport (self->monitor));
  g_autofree char *text = NULL;

  if (to == FS_MONITOR_STATE_PAUSED)
    text = g_strdup (_("A job is using the port: the monitor carries on after it"));
  else if (to == FS_MONITOR_STATE_DISCONNECTED && from != FS_MONITOR_STATE_DISCONNECTED)
    text = g_strdup_printf (_("The board went away from %s: waiting for it to come back"), port);
  else if (to == FS_MONITOR_STATE_RUNNING && from == FS_MONITOR_STATE_DISCONNECTED)
    text = g_strdup_printf (_("The board is back on %s"), port);
  else if (to == FS_MONITOR_STATE_RUNNING && from == FS_MONITOR_STATE_PAUSED)
    text = g_strdup (_("The job is done: the board’s output follows"));
  else if (to == FS_MONITOR_STATE_RUNNING)
    text = g_strdup_printf (_("Monitoring %s at %u baud"), port, fs_monitor_get_baud (self->monitor));
  if (text != NULL)
    notice (self, text);
}

/* What needs the board's port open and read */
static void
set_port_actions_enabled (FsMonitorView *self,
                          gboolean       enabled)
{
  static const char * const actions[] = { "monitor.send", "monitor.reset", "monitor.dtr", "monitor.rts" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], enabled);
}

static void
on_state (FsMonitor     *monitor,
          GParamSpec    *pspec,
          FsMonitorView *self)
{
  FsMonitorState state = fs_monitor_get_state (monitor);
  FsMonitorState before = self->state;

  if (state == before)
    return;
  self->state = state;
  say_state_change (self, before, state);
  /* A port opens, and a job ends, with both lines released */
  if (state == FS_MONITOR_STATE_RUNNING)
    set_lines_property (self, FALSE, FALSE);
  set_port_actions_enabled (self, state == FS_MONITOR_STATE_RUNNING);
  update_status (self);
}

static void
on_baud (FsMonitor     *monitor,
         GParamSpec    *pspec,
         FsMonitorView *self)
{
  gtk_drop_down_set_selected (self->baud_dropdown, baud_index (fs_monitor_get_baud (monitor)));
  update_status (self);
}

static void
on_baud_selected (GtkDropDown   *dropdown,
                  GParamSpec    *pspec,
                  FsMonitorView *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;

  if (self->monitor == NULL || selected >= G_N_ELEMENTS (bauds))
    return;
  if (!fs_monitor_set_baud (self->monitor, bauds[selected], &error))
    notice (self, error->message);
}

void
fs_monitor_view_set_session (FsMonitorView  *self,
                             FsBoardSession *session)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FS_IS_MONITOR_VIEW (self));
  g_return_if_fail (session == NULL || FS_IS_BOARD_SESSION (session));

  if (self->session == session)
    return;
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      fs_monitor_stop (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_set_object (&self->session, session);
  self->state = FS_MONITOR_STATE_STOPPED;
  vte_terminal_reset (self->terminal, TRUE, TRUE);
  self->at_line_start = TRUE;
  g_byte_array_set_size (self->held, 0);
  if (session != NULL)
    {
      self->monitor = g_object_ref (fs_board_session_get_monitor (session));
      g_signal_connect (self->monitor, "data", G_CALLBACK (on_data), self);
      g_signal_connect (self->monitor, "notify::state", G_CALLBACK (on_state), self);
      g_signal_connect (self->monitor, "notify::baud", G_CALLBACK (on_baud), self);
      on_baud (self->monitor, NULL, self);
      /* A job running now has the port: the monitor starts after it */
      if (fs_board_session_get_job (session) != NULL)
        fs_monitor_pause (self->monitor);
      else if (!fs_monitor_start (self->monitor, &error))
        notice (self, error->message);
      on_state (self->monitor, NULL, self);
    }
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

VteTerminal *
fs_monitor_view_get_terminal (FsMonitorView *self)
{
  g_return_val_if_fail (FS_IS_MONITOR_VIEW (self), NULL);
  return self->terminal;
}

/* ---- the log file ---- */

static void
set_logging (FsMonitorView *self,
             gboolean       logging)
{
  if (self->logging == logging)
    return;
  self->logging = logging;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGING]);
}

gboolean
fs_monitor_view_start_log (FsMonitorView  *self,
                           GFile          *file,
                           GError        **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (FS_IS_MONITOR_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (stream == NULL)
    return FALSE;
  fs_monitor_view_stop_log (self);
  self->log_stream = G_OUTPUT_STREAM (g_steal_pointer (&stream));
  self->log_file = g_object_ref (file);
  self->log_stripper = fs_ansi_stripper_new ();
  path = g_file_get_parse_name (file);
  text = g_strdup_printf (_("Logging to “%s”"), path);
  notice (self, text);
  set_logging (self, TRUE);
  return TRUE;
}

void
fs_monitor_view_stop_log (FsMonitorView *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FS_IS_MONITOR_VIEW (self));

  if (self->log_stream != NULL && !g_output_stream_close (self->log_stream, NULL, &error))
    notice (self, error->message);
  g_clear_object (&self->log_stream);
  g_clear_object (&self->log_file);
  g_clear_pointer (&self->log_stripper, fs_ansi_stripper_free);
  set_logging (self, FALSE);
}

static void
on_log_file_chosen (GtkNativeDialog *dialog,
                    int              response,
                    FsMonitorView   *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT || file == NULL)
    set_logging (self, FALSE);
  else if (!fs_monitor_view_start_log (self, file, &error))
    {
      notice (self, error->message);
      set_logging (self, FALSE);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static char *
suggested_log_name (FsMonitorView *self)
{
  FsDeviceRecord *record = self->session != NULL ? fs_board_session_get_record (self->session) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  const char *name = record != NULL ? fs_device_record_get_nickname (record) : NULL;

  return g_strdup_printf ("%s-%s.log", name != NULL && *name != '\0' ? name : "monitor", stamp);
}

static void
ask_log_file (FsMonitorView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = suggested_log_name (self);

  chooser = gtk_file_chooser_native_new (_("Log the Monitor to a File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Log"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_log_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- what the user does ---- */

static void
send_line (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  FsMonitorView *self = FS_MONITOR_VIEW (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->send_entry));
  FsLineEnding ending = gtk_drop_down_get_selected (self->ending_dropdown);
  g_autoptr(GError) error = NULL;

  if (self->monitor == NULL)
    return;
  if (!fs_monitor_send (self->monitor, text, MIN (ending, FS_LINE_ENDING_CRLF), &error))
    {
      g_autofree char *message = g_strdup_printf (_("Not sent: %s"), error->message);

      notice (self, message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->send_entry), "");
}

static void
on_send_activate (GtkEntry      *entry,
                  FsMonitorView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "monitor.send", NULL);
}

/* Keys typed into the terminal go to the board as they are */
static void
on_commit (VteTerminal   *terminal,
           const char    *text,
           guint          size,
           FsMonitorView *self)
{
  g_autofree char *copy = g_strndup (text, size);
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL && self->state == FS_MONITOR_STATE_RUNNING &&
      !fs_monitor_send (self->monitor, copy, FS_LINE_ENDING_NONE, &error))
    notice (self, error->message);
}

static void
reset_board (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FsMonitorView *self = FS_MONITOR_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->monitor == NULL)
    return;
  if (!fs_monitor_reset (self->monitor, &error))
    {
      notice (self, error->message);
      return;
    }
  notice (self, _("Reset"));
}

static void
clear (GtkWidget  *widget,
       const char *action_name,
       GVariant   *parameter)
{
  FsMonitorView *self = FS_MONITOR_VIEW (widget);

  vte_terminal_reset (self->terminal, TRUE, TRUE);
  self->at_line_start = TRUE;
  g_byte_array_set_size (self->held, 0);
  self->held_dropped = 0;
  update_status (self);
}

/* The selection, or everything when nothing is selected */
static void
copy (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  FsMonitorView *self = FS_MONITOR_VIEW (widget);

  if (vte_terminal_get_has_selection (self->terminal))
    {
      vte_terminal_copy_clipboard_format (self->terminal, VTE_FORMAT_TEXT);
      return;
    }
  vte_terminal_select_all (self->terminal);
  vte_terminal_copy_clipboard_format (self->terminal, VTE_FORMAT_TEXT);
  vte_terminal_unselect_all (self->terminal);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   FsMonitorView  *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *pattern = g_regex_escape_string (text, -1);
  g_autoptr(VteRegex) regex = NULL;
  g_autoptr(GError) error = NULL;

  if (*text != '\0')
    regex = vte_regex_new_for_search (pattern, -1, SEARCH_FLAGS, &error);
  if (error != NULL)
    g_warning ("The search for %s failed: %s", text, error->message);
  vte_terminal_search_set_regex (self->terminal, regex, 0);
  vte_terminal_search_set_wrap_around (self->terminal, TRUE);
  if (regex != NULL)
    vte_terminal_search_find_previous (self->terminal);
}

static void
on_search_activate (GtkSearchEntry *entry,
                    FsMonitorView  *self)
{
  vte_terminal_search_find_previous (self->terminal);
}

static void
find_next (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  vte_terminal_search_find_next (FS_MONITOR_VIEW (widget)->terminal);
}

static void
start_search (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FsMonitorView *self = FS_MONITOR_VIEW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* From the newest line up, as one reads a log */
static void
find_previous (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  vte_terminal_search_find_previous (FS_MONITOR_VIEW (widget)->terminal);
}

/* ---- properties ---- */

static void
set_follow (FsMonitorView *self,
            gboolean       follow)
{
  if (self->follow == follow)
    return;
  self->follow = follow;
  if (follow)
    release_held (self);
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

static void
set_hex (FsMonitorView *self,
         gboolean       hex)
{
  if (self->hex == hex)
    return;
  self->hex = hex;
  g_clear_pointer (&self->hex_dumper, fs_hex_dumper_free);
  if (hex)
    self->hex_dumper = fs_hex_dumper_new ();
  notice (self, hex ? _("Hex view") : _("Text view"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEX]);
}

static void
set_lines (FsMonitorView *self,
           gboolean       dtr,
           gboolean       rts)
{
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL && !fs_monitor_set_lines (self->monitor, dtr, rts, &error))
    {
      notice (self, error->message);
      return;
    }
  set_lines_property (self, dtr, rts);
}

static void
fs_monitor_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FsMonitorView *self = FS_MONITOR_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_HEX:
      g_value_set_boolean (value, self->hex);
      break;
    case PROP_TIMESTAMPS:
      g_value_set_boolean (value, self->timestamps);
      break;
    case PROP_DTR:
      g_value_set_boolean (value, self->dtr);
      break;
    case PROP_RTS:
      g_value_set_boolean (value, self->rts);
      break;
    case PROP_LOGGING:
      g_value_set_boolean (value, self->logging);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_monitor_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FsMonitorView *self = FS_MONITOR_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      fs_monitor_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_FOLLOW:
      set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_HEX:
      set_hex (self, g_value_get_boolean (value));
      break;
    case PROP_TIMESTAMPS:
      self->timestamps = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_DTR:
      set_lines (self, g_value_get_boolean (value), self->rts);
      break;
    case PROP_RTS:
      set_lines (self, self->dtr, g_value_get_boolean (value));
      break;
    case PROP_LOGGING:
      if (g_value_get_boolean (value) && self->log_stream == NULL)
        ask_log_file (self);
      else if (!g_value_get_boolean (value))
        fs_monitor_view_stop_log (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ---- the widget ---- */

static void
follow_style (AdwStyleManager *manager,
              GParamSpec      *pspec,
              FsMonitorView   *self)
{
  GdkRGBA foreground, background;

  if (adw_style_manager_get_dark (manager))
    {
      gdk_rgba_parse (&foreground, "#ffffff");
      gdk_rgba_parse (&background, "#1e1e1e");
    }
  else
    {
      gdk_rgba_parse (&foreground, "#1e1e1e");
      gdk_rgba_parse (&background, "#ffffff");
    }
  vte_terminal_set_colors (self->terminal, &foreground, &background, NULL, 0);
}

static void
fs_monitor_view_dispose (GObject *object)
{
  FsMonitorView *self = FS_MONITOR_VIEW (object);

  fs_monitor_view_set_session (self, NULL);
  fs_monitor_view_stop_log (self);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_MONITOR_VIEW);
  G_OBJECT_CLASS (fs_monitor_view_parent_class)->dispose (object);
}

static void
fs_monitor_view_finalize (GObject *object)
{
  FsMonitorView *self = FS_MONITOR_VIEW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->stamper, fs_line_stamper_free);
  g_clear_pointer (&self->hex_dumper, fs_hex_dumper_free);
  g_byte_array_unref (self->held);
  G_OBJECT_CLASS (fs_monitor_view_parent_class)->finalize (object);
}

static GParamSpec *
boolean_property (const char *name,
                  gboolean    value)
{
  return g_param_spec_boolean (name, NULL, NULL, value,
                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
fs_monitor_view_class_init (FsMonitorViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_monitor_view_dispose;
  object_class->finalize = fs_monitor_view_finalize;
  object_class->get_property = fs_monitor_view_get_property;
  object_class->set_property = fs_monitor_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, FS_TYPE_BOARD_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW] = boolean_property ("follow", TRUE);
  properties[PROP_HEX] = boolean_property ("hex", FALSE);
  properties[PROP_TIMESTAMPS] = boolean_property ("timestamps", FALSE);
  properties[PROP_DTR] = boolean_property ("dtr", FALSE);
  properties[PROP_RTS] = boolean_property ("rts", FALSE);
  properties[PROP_LOGGING] = boolean_property ("logging", FALSE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VTE_TYPE_TERMINAL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flashstudio/FlashStudio/fs-monitor-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, box);
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, status_label);
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, baud_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, terminal);
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, send_entry);
  gtk_widget_class_bind_template_child (widget_class, FsMonitorView, ending_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_commit);
  gtk_widget_class_bind_template_callback (widget_class, on_send_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);

  gtk_widget_class_install_action (widget_class, "monitor.send", NULL, send_line);
  gtk_widget_class_install_action (widget_class, "monitor.reset", NULL, reset_board);
  gtk_widget_class_install_action (widget_class, "monitor.clear", NULL, clear);
  gtk_widget_class_install_action (widget_class, "monitor.copy", NULL, copy);
  gtk_widget_class_install_action (widget_class, "monitor.find-next", NULL, find_next);
  gtk_widget_class_install_action (widget_class, "monitor.find-previous", NULL, find_previous);
  gtk_widget_class_install_property_action (widget_class, "monitor.follow", "follow");
  gtk_widget_class_install_property_action (widget_class, "monitor.hex", "hex");
  gtk_widget_class_install_property_action (widget_class, "monitor.timestamps", "timestamps");
  gtk_widget_class_install_property_action (widget_class, "monitor.dtr", "dtr");
  gtk_widget_class_install_property_action (widget_class, "monitor.rts", "rts");
  gtk_widget_class_install_property_action (widget_class, "monitor.log", "logging");

  gtk_widget_class_install_action (widget_class, "monitor.search", NULL, start_search);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "monitorview");
}

/* Before the terminal sees the keys: it would send them to the board */
static void
add_shortcuts (FsMonitorView *self)
{
  static const struct { const char *trigger; const char *action; } shortcuts[] = {
    { "<Control>f", "monitor.search" },
    { "<Control><Shift>c", "monitor.copy" },
    { "<Control>l", "monitor.clear" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (shortcuts[i].trigger),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
fs_monitor_view_init (FsMonitorView *self)
{
  g_autoptr(GtkStringList) baud_names = gtk_string_list_new (NULL);
  AdwStyleManager *style = adw_style_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->follow = TRUE;
  self->at_line_start = TRUE;
  self->held = g_byte_array_new ();
  self->stamper = fs_line_stamper_new (NULL, NULL);
  self->state = FS_MONITOR_STATE_STOPPED;

  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", bauds[i]);

      gtk_string_list_append (baud_names, name);
    }
  gtk_drop_down_set_model (self->baud_dropdown, G_LIST_MODEL (baud_names));
  g_signal_connect (self->baud_dropdown, "notify::selected", G_CALLBACK (on_baud_selected), self);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  add_shortcuts (self);

  self->settings = g_settings_new (SCHEMA_ID);
  g_settings_bind (self->settings, "monitor-scrollback", self->terminal, "scrollback-lines", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "monitor-timestamps", self, "timestamps", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect (style, "notify::dark", G_CALLBACK (follow_style), self);
  follow_style (style, NULL, self);
  update_status (self);
  set_port_actions_enabled (self, FALSE);
}
