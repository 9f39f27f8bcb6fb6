/* fs-sim-board.c
 *
 * The board is an actor: its state lives in its own thread and main
 * context, and every public call posts a message there. Time is modelled
 * with three clocks: when the wire from the host is free again, when the
 * chip is done with its work, and when the wire to the host is free
 * again. Output is queued with the time each piece is due and handed to
 * the sink (or the read buffer) when that time comes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-packet.h"
#include "fs-sim-board.h"
#include "fs-sim-boot.h"
#include "fs-sim-loader.h"
#include "fs-slip.h"

#define ROM_BAUD            115200
#define BITS_PER_BYTE       10
#define OUTPUT_CHUNK        256
/* The chip samples its strapping pins a little after EN rises; the RC on
 * EN makes the brief state in the middle of an esptool reset harmless. */
#define STRAP_DELAY_MS      2
#define RESET_PULSE_MS      10
#define READ_SLICE_US       (50 * G_TIME_SPAN_MILLISECOND)
#define CONSOLE_INPUT_MAX   (64 * 1024)
#define APP_QUEUE_AHEAD_US  (4 * G_TIME_SPAN_MILLISECOND)

typedef struct {
  gint64  due;
  GBytes *data;
  guint   baud;      /* the board's UART's when it sent them */
} OutputChunk;

struct _FsSimBoard
{
  GObject              parent_instance;

  FsSimBoardOptions    options;
  FsSimFlash          *flash;
  FsSimChip           *chip;
  FsSimLoader         *loader;
  FsSlipDecoder       *decoder;

  GThread             *thread;
  GMainContext        *context;
  GMainLoop           *loop;

  /* Shared with the callers' threads, under @lock */
  GMutex               lock;
  GCond                cond;
  FsSimMode            mode;
  gboolean             plugged;
  GByteArray          *read_buffer;
  char                *boot_log;
  GByteArray          *console_input;   /* what the app received since it started */
  guint64              bytes_sent;      /* handed to the host since the board was made */
  const FsSimBoardSinkFuncs *sink;
  gpointer             sink_data;
  FsSimFaults          requested_faults;
  /* What the person did last, for the properties */
  gboolean             person_jumper;
  gboolean             person_boot_held;
  gboolean             person_held;
  gboolean             person_plugged;

  /* The board's thread only */
  gboolean             dtr;
  gboolean             rts;
  gboolean             jumper;
  gboolean             boot_button;   /* IO0 held low until the next strap sampling */
  gboolean             boot_held;     /* the BOOT (IO0) button, held until released */
  gboolean             held;          /* the profile's hold button (options.hold_button) */
  gboolean             en_high;
  GSource             *strap_source;
  GSource             *output_source;
  GSource             *app_source;
  GQueue               output;
  guint                uart_baud;
  guint                host_baud;
  gint64               in_wire_free;
  gint64               chip_free;
  gint64               out_wire_free;
  FsSimFaults          faults;
  GRand               *rand;
  guint64              host_bytes;
  guint64              flash_bytes;
  FsSimBoot           *boot;
  guint                app_counter;
  gint64               app_started;     /* when the app's first line goes out */
};

enum {
  PROP_0,
  PROP_JUMPER,
  PROP_BOOT_HELD,
  PROP_HELD,
  PROP_PLUGGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsSimBoard, fs_sim_board, G_TYPE_OBJECT)

static void enter_mode_after_reset (FsSimBoard *self, FsSimResetReason reason);
static void enter_run (FsSimBoard *self, FsSimResetReason reason);

void
fs_sim_board_options_init_default (FsSimBoardOptions *options,
                                   const char        *flash_path)
{
  static const guint8 mac[6] = { 0x24, 0x0A, 0xC4, 0x12, 0x34, 0x56 };

  memset (options, 0, sizeof *options);
  options->flash_path = g_strdup (flash_path);
  options->flash_size = 8 * 1024 * 1024;
  options->has_reset_lines = TRUE;
  fs_sim_chip_config_init_default (&options->chip, mac);
  fs_sim_flash_timing_init_default (&options->timing);
}

void
fs_sim_board_options_clear (FsSimBoardOptions *options)
{
  g_clear_pointer (&options->flash_path, g_free);
}

static void
output_chunk_free (OutputChunk *chunk)
{
  g_bytes_unref (chunk->data);
  g_free (chunk);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
add_timeout (FsSimBoard  *self,
             gint64       due,
             GSourceFunc  func)
{
  gint64 delay_us = MAX (0, due - g_get_monotonic_time ());
  GSource *source = g_timeout_source_new ((delay_us + 999) / 1000);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

/* Microseconds a byte takes on the wire, or 0 in instant mode */
static gint64
byte_time (FsSimBoard *self)
{
  if (self->options.instant || self->uart_baud == 0)
    return 0;
  return (BITS_PER_BYTE * G_USEC_PER_SEC + self->uart_baud - 1) / self->uart_baud;
}

static void
set_mode (FsSimBoard *self,
          FsSimMode   mode)
{
  g_mutex_lock (&self->lock);
  self->mode = mode;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
deliver (FsSimBoard   *self,
         const guint8 *data,
         gsize         len)
{
  g_mutex_lock (&self->lock);
  self->bytes_sent += len;
  if (self->sink != NULL)
    {
      const FsSimBoardSinkFuncs *sink = self->sink;
      gpointer sink_data = self->sink_data;

      g_mutex_unlock (&self->lock);
      sink->output (sink_data, data, len);
      return;
    }
  g_byte_array_append (self->read_buffer, data, len);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
flush_output (gpointer user_data)
{
  FsSimBoard *self = user_data;
  gint64 now = g_get_monotonic_time ();
  OutputChunk *chunk;

  g_clear_pointer (&self->output_source, g_source_unref);
  while ((chunk = g_queue_peek_head (&self->output)) != NULL && chunk->due <= now)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (chunk->data, &len);

      g_queue_pop_head (&self->output);
      /* A host reading at another baud than the board's UART reads noise */
      if (self->host_baud != 0 && self->host_baud != chunk->baud)
        {
          g_autofree guint8 *noise = g_malloc (len);

          for (gsize i = 0; i < len; i++)
            noise[i] = g_rand_int_range (self->rand, 0, 256);
          deliver (self, noise, len);
        }
      else
        deliver (self, data, len);
      output_chunk_free (chunk);
    }
  if (chunk != NULL)
    self->output_source = add_timeout (self, chunk->due, flush_output);
  return G_SOURCE_REMOVE;
}

static void
schedule_output (FsSimBoard *self)
{
  OutputChunk *head = g_queue_peek_head (&self->output);

  if (head == NULL)
    return;
  destroy_source (&self->output_source);
  self->output_source = add_timeout (self, head->due, flush_output);
}

/* A byte lost or damaged on the wire, as the faults ask */
static gboolean
apply_line_faults (FsSimBoard *self,
                   guint8     *byte)
{
  if (self->faults.drop_rate > 0 && g_rand_double (self->rand) < self->faults.drop_rate)
    return FALSE;
  if (self->faults.garble_rate > 0 && g_rand_double (self->rand) < self->faults.garble_rate)
    *byte ^= 1 << g_rand_int_range (self->rand, 0, 8);
  return TRUE;
}

/* Queues bytes for the host: they leave the board's UART no earlier than
 * @not_before, one after another at the UART's baud. */
static void
emit (FsSimBoard   *self,
      const guint8 *data,
      gsize         len,
      gint64        not_before)
{
  gint64 per_byte = byte_time (self);

  for (gsize start = 0; start < len; start += OUTPUT_CHUNK)
    {
      gsize n = MIN (OUTPUT_CHUNK, len - start);
      g_autoptr(GByteArray) bytes = g_byte_array_sized_new (n);
      OutputChunk *chunk = g_new0 (OutputChunk, 1);

      for (gsize i = 0; i < n; i++)
        {
          guint8 byte = data[start + i];
          if (apply_line_faults (self, &byte))
            g_byte_array_append (bytes, &byte, 1);
        }
      self->out_wire_free = MAX (MAX (not_before, self->out_wire_free), g_get_monotonic_time ()) + n * per_byte;
      chunk->due = self->out_wire_free;
      chunk->baud = self->uart_baud;
      chunk->data = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
      g_queue_push_tail (&self->output, chunk);
    }
  schedule_output (self);
}

static void
emit_text (FsSimBoard *self,
           const char *text)
{
  emit (self, (const guint8 *) text, strlen (text), 0);
}

static void
stop_activity (FsSimBoard *self)
{
  destroy_source (&self->app_source);
  destroy_source (&self->output_source);
  g_queue_clear_full (&self->output, (GDestroyNotify) output_chunk_free);
  self->out_wire_free = 0;
  self->chip_free = 0;
}

static void
enter_download (FsSimBoard       *self,
                FsSimResetReason  reason)
{
  g_autofree char *banner = fs_sim_boot_download_banner (reason);

  self->uart_baud = ROM_BAUD;
  fs_sim_chip_set_baud (self->chip, ROM_BAUD);
  fs_sim_loader_reset (self->loader);
  fs_slip_decoder_reset (self->decoder);
  set_mode (self, FS_SIM_MODE_DOWNLOAD);
  emit_text (self, banner);
}

/* ESP-IDF's log clock: where the boot log left it, plus the app's time */
static guint64
log_clock_ms (FsSimBoard *self)
{
  gint64 ran_us = MAX (0, g_get_monotonic_time () - self->app_started);

  return self->boot->app_start_ms + ran_us / G_TIME_SPAN_MILLISECOND;
}

static void
emit_repeat_line (FsSimBoard *self)
{
  g_autofree char *line = fs_sim_app_format_repeat (self->boot->app, self->app_counter++, log_clock_ms (self));
  g_autofree char *with_end = g_strconcat (line, "\r\n", NULL);

  emit_text (self, with_end);
}

static gboolean
app_tick (gpointer user_data)
{
  FsSimBoard *self = user_data;
  gint64 now = g_get_monotonic_time ();

  g_clear_pointer (&self->app_source, g_source_unref);
  if (self->boot->app->repeat_ms != 0)
    {
      emit_repeat_line (self);
      self->app_source = add_timeout (self, now + self->boot->app->repeat_ms * G_TIME_SPAN_MILLISECOND, app_tick);
      return G_SOURCE_REMOVE;
    }
  /* Back to back: lines queued a few milliseconds ahead of the wire, so
   * that a fast talker fills it whatever the timer's granularity, without
   * queueing without bound */
  if (self->options.instant)
    {
      emit_repeat_line (self);
      self->app_source = add_timeout (self, now + G_TIME_SPAN_MILLISECOND, app_tick);
      return G_SOURCE_REMOVE;
    }
  do
    emit_repeat_line (self);
  while (self->out_wire_free < now + APP_QUEUE_AHEAD_US);
  self->app_source = add_timeout (self, self->out_wire_free - APP_QUEUE_AHEAD_US / 2, app_tick);
  return G_SOURCE_REMOVE;
}

/* ESP-IDF restarts the CPU once the UART has sent the last byte */
static gboolean
app_restart (gpointer user_data)
{
  FsSimBoard *self = user_data;

  g_clear_pointer (&self->app_source, g_source_unref);
  enter_run (self, FS_SIM_RESET_SW);
  return G_SOURCE_REMOVE;
}

/* The app crashes, or its supply sags: it says so, and the chip restarts
 * into the same app, which ends the same way */
static gboolean
app_end (gpointer user_data)
{
  FsSimBoard *self = user_data;
  g_autofree char *text = fs_sim_app_dup_end_text (self->boot->app, self->boot->elf_sha256);

  g_clear_pointer (&self->app_source, g_source_unref);
  emit_text (self, text);
  self->app_source = add_timeout (self, self->out_wire_free, app_restart);
  return G_SOURCE_REMOVE;
}

static void
start_app (FsSimBoard *self)
{
  const FsSimApp *app = self->boot->app;
  gint64 lines_out;

  /* The ROM and the bootloader talk at 115200; the app's console at its own baud */
  if (app->baud != 0)
    self->uart_baud = app->baud;
  self->app_started = MAX (self->out_wire_free, g_get_monotonic_time ());
  for (guint i = 0; i < app->lines->len; i++)
    {
      g_autofree char *line = fs_sim_app_format_line (g_ptr_array_index (app->lines, i), log_clock_ms (self));
      g_autofree char *with_end = g_strconcat (line, "\r\n", NULL);

      emit_text (self, with_end);
    }
  lines_out = MAX (self->out_wire_free, g_get_monotonic_time ());
  if (app->end != FS_SIM_APP_RUNS)
    self->app_source = add_timeout (self, lines_out + FS_SIM_APP_END_DELAY_MS * G_TIME_SPAN_MILLISECOND, app_end);
  else if (app->repeat_line != NULL)
    self->app_source = add_timeout (self, lines_out, app_tick);
}

static void
enter_run (FsSimBoard       *self,
           FsSimResetReason  reason)
{
  g_clear_pointer (&self->boot, fs_sim_boot_free);
  self->boot = fs_sim_boot_run (fs_sim_flash_get_data (self->flash), fs_sim_flash_get_size (self->flash),
                                &self->options.chip, reason);
  self->uart_baud = ROM_BAUD;
  self->app_counter = 0;

  /* The log first: whoever waits for run mode may read it at once */
  g_mutex_lock (&self->lock);
  g_free (self->boot_log);
  self->boot_log = g_strdup (self->boot->log);
  g_byte_array_set_size (self->console_input, 0);
  g_mutex_unlock (&self->lock);
  set_mode (self, FS_SIM_MODE_RUN);

  emit_text (self, self->boot->log);
  if (self->boot->app_running)
    start_app (self);
}

/* IO0 low at the moment the chip samples it: download mode */
static gboolean
io0_low (FsSimBoard *self)
{
  gboolean lines_reach_io0 = self->options.has_reset_lines && !self->faults.needs_jumper;

  return self->jumper || self->boot_button || self->boot_held || (lines_reach_io0 && self->dtr && !self->rts);
}

static gboolean
sample_straps (gpointer user_data)
{
  FsSimBoard *self = user_data;

  g_clear_pointer (&self->strap_source, g_source_unref);
  enter_mode_after_reset (self, FS_SIM_RESET_POWERON);
  self->boot_button = FALSE;
  return G_SOURCE_REMOVE;
}

static void
enter_mode_after_reset (FsSimBoard       *self,
                        FsSimResetReason  reason)
{
  stop_activity (self);
  /* Without its hold button held, such a board has no power for the ROM
   * loader: what runs is the firmware */
  if (io0_low (self) && (!self->options.hold_button || self->held))
    enter_download (self, reason);
  else
    enter_run (self, reason);
}

static void
set_en (FsSimBoard *self,
        gboolean    high)
{
  if (high == self->en_high)
    return;
  self->en_high = high;
  destroy_source (&self->strap_source);
  if (!high)
    {
      stop_activity (self);
      set_mode (self, FS_SIM_MODE_RESET);
      return;
    }
  self->strap_source = add_timeout (self, g_get_monotonic_time () + STRAP_DELAY_MS * G_TIME_SPAN_MILLISECOND,
                                    sample_straps);
}

/* The classic auto-reset circuit: EN is pulled low while RTS alone is
 * asserted, IO0 while DTR alone is. */
static void
apply_lines (FsSimBoard *self)
{
  if (!self->options.has_reset_lines)
    return;
  set_en (self, !(self->rts && !self->dtr));
}

static void
do_unplug (FsSimBoard *self)
{
  const FsSimBoardSinkFuncs *sink;
  gpointer sink_data;

  stop_activity (self);
  destroy_source (&self->strap_source);
  self->en_high = FALSE;

  g_mutex_lock (&self->lock);
  self->plugged = FALSE;
  self->mode = FS_SIM_MODE_OFF;
  g_byte_array_set_size (self->read_buffer, 0);
  sink = self->sink;
  sink_data = self->sink_data;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (sink != NULL && sink->plugged != NULL)
    sink->plugged (sink_data, FALSE);
}

static void
do_plug (FsSimBoard *self)
{
  const FsSimBoardSinkFuncs *sink;
  gpointer sink_data;

  g_mutex_lock (&self->lock);
  self->plugged = TRUE;
  sink = self->sink;
  sink_data = self->sink_data;
  g_mutex_unlock (&self->lock);

  self->host_bytes = 0;
  self->flash_bytes = 0;
  if (sink != NULL && sink->plugged != NULL)
    sink->plugged (sink_data, TRUE);
  /* A new connection: the host's port opens with the lines released */
  self->dtr = self->rts = FALSE;
  set_en (self, TRUE);
}

/* An unplug or a reset happens once, not again after a replug */
static void
disarm_one_shot_faults (FsSimBoard *self,
                        gboolean    unplug,
                        gboolean    reset)
{
  g_mutex_lock (&self->lock);
  if (unplug)
    self->faults.unplug_after = self->requested_faults.unplug_after = 0;
  if (reset)
    self->faults.reset_after = self->requested_faults.reset_after = 0;
  g_mutex_unlock (&self->lock);
}

static gboolean
is_pipelined_write (const guint8 *frame,
                    gsize         len)
{
  return len > 1 && (frame[1] == FS_OP_FLASH_DATA || frame[1] == FS_OP_FLASH_DEFL_DATA);
}

/* One frame from the host, complete at @arrival. The ROM answers when
 * it is done; the stub answers a data block at once and writes it while
 * the next one arrives, as esptool's stub does. */
static void
handle_frame (FsSimBoard *self,
              GBytes     *frame,
              gint64      arrival)
{
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  FsSimLoaderEffects effects = { 0 };
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (frame, &len);
  gboolean was_stub = fs_sim_loader_get_mode (self->loader) == FS_SIM_LOADER_STUB;
  gint64 start = MAX (arrival, self->chip_free);
  gint64 reply_at;

  fs_sim_loader_handle_frame (self->loader, data, len, replies, &effects);
  if (self->options.instant)
    effects.busy_us = 0;
  self->chip_free = start + effects.busy_us;
  reply_at = (was_stub && is_pipelined_write (data, len)) ? start : self->chip_free;
  reply_at += self->faults.reply_delay_ms * G_TIME_SPAN_MILLISECOND;

  for (guint i = 0; i < replies->len; i++)
    {
      GBytes *reply = g_ptr_array_index (replies, i);
      g_autoptr(GByteArray) framed = g_byte_array_new ();

      fs_slip_encode (framed, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
      emit (self, framed->data, framed->len, reply_at);
    }
  if (effects.new_baud != 0)
    {
      self->uart_baud = effects.new_baud;
      fs_sim_chip_set_baud (self->chip, effects.new_baud);
    }

  /* FLASH_END asking to run, or the stub's RUN_USER_CODE: the app starts
   * once the reply is out */
  if (effects.run_user_code)
    {
      self->chip_free = self->out_wire_free;
      enter_run (self, FS_SIM_RESET_SW);
      return;
    }

  self->flash_bytes += effects.flash_written;
  if (self->faults.reset_after != 0 && self->flash_bytes >= self->faults.reset_after)
    {
      disarm_one_shot_faults (self, FALSE, TRUE);
      enter_mode_after_reset (self, FS_SIM_RESET_RTCWDT_RTC);
    }
}

/* What a running app reads from its console, the latest CONSOLE_INPUT_MAX bytes */
static void
keep_console_input (FsSimBoard       *self,
                    const GByteArray *received)
{
  g_mutex_lock (&self->lock);
  g_byte_array_append (self->console_input, received->data, received->len);
  if (self->console_input->len > CONSOLE_INPUT_MAX)
    g_byte_array_remove_range (self->console_input, 0, self->console_input->len - CONSOLE_INPUT_MAX);
  g_mutex_unlock (&self->lock);
}

static void
receive (FsSimBoard   *self,
         const guint8 *data,
         gsize         len)
{
  g_autoptr(GByteArray) received = g_byte_array_sized_new (len);
  gboolean baud_mismatch = self->host_baud != 0 && self->host_baud != self->uart_baud;
  gint64 arrival;
  GBytes *frame;

  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = data[i];

      /* At the wrong baud, what arrives is noise */
      if (baud_mismatch)
        byte = g_rand_int_range (self->rand, 0, 256);
      if (apply_line_faults (self, &byte))
        g_byte_array_append (received, &byte, 1);
    }

  self->in_wire_free = MAX (self->in_wire_free, g_get_monotonic_time ()) + len * byte_time (self);
  arrival = self->in_wire_free;
  if (self->mode == FS_SIM_MODE_RUN)
    {
      keep_console_input (self, received);
      return;
    }
  if (self->mode != FS_SIM_MODE_DOWNLOAD)
    return;

  fs_slip_decoder_push (self->decoder, received->data, received->len);
  while ((frame = fs_slip_decoder_pop (self->decoder)) != NULL && self->mode == FS_SIM_MODE_DOWNLOAD)
    {
      handle_frame (self, frame, arrival);
      g_bytes_unref (frame);
    }
  g_clear_pointer (&frame, g_bytes_unref);
}

/* A board whose hold button powers it (Vigotech's Power button):
 * pressing it is a power-on, letting go in download mode a restart into
 * the firmware */
static void
change_hold (FsSimBoard *self,
             gboolean    held)
{
  gboolean was_held = self->held;

  self->held = held;
  if (!self->options.hold_button || !self->plugged || held == was_held)
    return;
  if (held)
    enter_mode_after_reset (self, FS_SIM_RESET_POWERON);
  else if (fs_sim_board_get_mode (self) == FS_SIM_MODE_DOWNLOAD)
    {
      stop_activity (self);
      enter_run (self, FS_SIM_RESET_POWERON);
    }
}

/* Messages from the callers' threads */

typedef enum {
  MESSAGE_WRITE,
  MESSAGE_LINES,
  MESSAGE_HOST_BAUD,
  MESSAGE_JUMPER,
  MESSAGE_BOOT_HELD,
  MESSAGE_HOLD,
  MESSAGE_RESET,
  MESSAGE_PLUGGED,
  MESSAGE_FAULTS,
  MESSAGE_SINK,
} MessageKind;

typedef struct {
  FsSimBoard  *self;
  MessageKind  kind;
  GBytes      *data;
  gboolean     a;
  gboolean     b;
  guint        value;
  FsSimFaults  faults;
  const FsSimBoardSinkFuncs *sink;
  gpointer     sink_data;
} Message;

static void
message_free (Message *message)
{
  g_clear_pointer (&message->data, g_bytes_unref);
  g_free (message);
}

static gboolean
release_reset (gpointer user_data)
{
  FsSimBoard *self = user_data;

  set_en (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
handle_write (FsSimBoard *self,
              GBytes     *data)
{
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  if (!self->plugged)
    return;
  if (self->faults.unplug_after != 0 && self->host_bytes + len >= self->faults.unplug_after)
    {
      gsize before = self->faults.unplug_after - self->host_bytes;

      receive (self, bytes, before);
      disarm_one_shot_faults (self, TRUE, FALSE);
      do_unplug (self);
      return;
    }
  self->host_bytes += len;
  receive (self, bytes, len);
}

/* What the board sent before a sink was there waits in the read buffer,
 * as in a UART's FIFO: the new sink gets it first. */
static void
install_sink (FsSimBoard                *self,
              const FsSimBoardSinkFuncs *sink,
              gpointer                   sink_data)
{
  g_autoptr(GByteArray) buffered = NULL;

  g_mutex_lock (&self->lock);
  self->sink = sink;
  self->sink_data = sink_data;
  if (sink != NULL && self->read_buffer->len > 0)
    {
      buffered = self->read_buffer;
      self->read_buffer = g_byte_array_new ();
    }
  g_mutex_unlock (&self->lock);

  if (buffered != NULL)
    sink->output (sink_data, buffered->data, buffered->len);
}

static gboolean
dispatch_message (gpointer user_data)
{
  Message *message = user_data;
  FsSimBoard *self = message->self;

  switch (message->kind)
    {
    case MESSAGE_WRITE:
      handle_write (self, message->data);
      break;
    case MESSAGE_LINES:
      self->dtr = message->a;
      self->rts = message->b;
      apply_lines (self);
      break;
    case MESSAGE_HOST_BAUD:
      self->host_baud = message->value;
      break;
    case MESSAGE_JUMPER:
      self->jumper = message->a;
      break;
    case MESSAGE_BOOT_HELD:
      self->boot_held = message->a;
      break;
    case MESSAGE_HOLD:
      change_hold (self, message->a);
      break;
    case MESSAGE_RESET:
      /* With BOOT (IO0) held through the reset when asked: one message,
       * so that no strap sampling falls between the two */
      self->boot_button = message->a;
      if (self->plugged)
        {
          set_en (self, FALSE);
          g_source_unref (add_timeout (self, g_get_monotonic_time () + RESET_PULSE_MS * G_TIME_SPAN_MILLISECOND,
                                       release_reset));
        }
      break;
    case MESSAGE_PLUGGED:
      if (message->a && !self->plugged)
        do_plug (self);
      else if (!message->a && self->plugged)
        do_unplug (self);
      break;
    case MESSAGE_FAULTS:
      g_mutex_lock (&self->lock);
      self->faults = message->faults;
      g_mutex_unlock (&self->lock);
      /* "After N more bytes": counted from now, not from the plug */
      self->host_bytes = 0;
      self->flash_bytes = 0;
      g_rand_set_seed (self->rand, self->faults.seed);
      fs_sim_loader_set_compressed_spill (self->loader, self->faults.compressed_spill);
      fs_sim_loader_set_stub_hangs (self->loader, self->faults.stub_hangs);
      break;
    case MESSAGE_SINK:
      install_sink (self, message->sink, message->sink_data);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

static void
post (FsSimBoard *self,
      Message    *message)
{
  message->self = self;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, dispatch_message,
                              message, (GDestroyNotify) message_free);
}

static Message *
message_new (MessageKind kind)
{
  Message *message = g_new0 (Message, 1);

  message->kind = kind;
  return message;
}

static gpointer
board_thread (gpointer user_data)
{
  FsSimBoard *self = user_data;

  g_main_context_push_thread_default (self->context);
  /* Powered on as a board plugged in is */
  self->boot_button = self->options.start_in_download;
  self->held = self->options.start_in_download;
  do_plug (self);
  g_main_loop_run (self->loop);
  stop_activity (self);
  destroy_source (&self->strap_source);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
fs_sim_board_finalize (GObject *object)
{
  FsSimBoard *self = FS_SIM_BOARD (object);

  if (self->thread != NULL)
    {
      /* Queued, not called: a quit before the thread's loop runs would
       * be lost, and the join would wait for ever */
      g_autoptr(GSource) quit = g_idle_source_new ();

      g_source_set_callback (quit, quit_loop, self->loop, NULL);
      g_source_attach (quit, self->context);
      g_thread_join (self->thread);
    }
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->decoder);
  g_clear_object (&self->loader);
  g_clear_object (&self->chip);
  g_clear_object (&self->flash);
  g_clear_pointer (&self->boot, fs_sim_boot_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->read_buffer, g_byte_array_unref);
  g_clear_pointer (&self->console_input, g_byte_array_unref);
  g_free (self->boot_log);
  fs_sim_board_options_clear (&self->options);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (fs_sim_board_parent_class)->finalize (object);
}

static void
fs_sim_board_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FsSimBoard *self = FS_SIM_BOARD (object);
  gboolean *field = NULL;

  switch (prop_id)
    {
    case PROP_JUMPER: field = &self->person_jumper; break;
    case PROP_BOOT_HELD: field = &self->person_boot_held; break;
    case PROP_HELD: field = &self->person_held; break;
    case PROP_PLUGGED: field = &self->person_plugged; break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_mutex_lock (&self->lock);
  g_value_set_boolean (value, *field);
  g_mutex_unlock (&self->lock);
}

static void
fs_sim_board_class_init (FsSimBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fs_sim_board_finalize;
  object_class->get_property = fs_sim_board_get_property;

  properties[PROP_JUMPER] = g_param_spec_boolean ("jumper", NULL, NULL, FALSE, flags);
  properties[PROP_BOOT_HELD] = g_param_spec_boolean ("boot-held", NULL, NULL, FALSE, flags);
  properties[PROP_HELD] = g_param_spec_boolean ("held", NULL, NULL, FALSE, flags);
  properties[PROP_PLUGGED] = g_param_spec_boolean ("plugged", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* The person's switch @prop_id is now @on */
static void
set_person_switch (FsSimBoard *self,
                   gboolean   *field,
                   gboolean    on,
                   guint       prop_id)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = *field != !!on;
  *field = !!on;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
fs_sim_board_init (FsSimBoard *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->output);
  self->read_buffer = g_byte_array_new ();
  self->console_input = g_byte_array_new ();
  self->rand = g_rand_new_with_seed (0);
  self->uart_baud = ROM_BAUD;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
}

FsSimBoard *
fs_sim_board_new (const FsSimBoardOptions  *options,
                  GError                  **error)
{
  g_autoptr(FsSimBoard) self = g_object_new (FS_TYPE_SIM_BOARD, NULL);

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->flash_path != NULL, NULL);

  self->options = *options;
  self->options.flash_path = g_strdup (options->flash_path);
  self->flash = fs_sim_flash_new (options->flash_path, options->flash_size, error);
  if (self->flash == NULL)
    return NULL;
  fs_sim_flash_set_timing (self->flash, &options->timing);
  self->chip = fs_sim_chip_new (&options->chip, self->flash);
  self->loader = fs_sim_loader_new (self->chip, self->flash);
  self->decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
  self->plugged = TRUE;
  self->person_plugged = TRUE;
  self->person_held = options->start_in_download;
  self->mode = FS_SIM_MODE_RESET;
  self->thread = g_thread_new ("fs-sim-board", board_thread, self);
  return g_steal_pointer (&self);
}

GMainContext *
fs_sim_board_get_context (FsSimBoard *self)
{
  g_return_val_if_fail (FS_IS_SIM_BOARD (self), NULL);
  return self->context;
}

FsSimMode
fs_sim_board_get_mode (FsSimBoard *self)
{
  FsSimMode mode;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), FS_SIM_MODE_OFF);

  g_mutex_lock (&self->lock);
  mode = self->mode;
  g_mutex_unlock (&self->lock);
  return mode;
}

GBytes *
fs_sim_board_dup_console_input (FsSimBoard *self)
{
  GBytes *input;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), NULL);

  g_mutex_lock (&self->lock);
  input = g_bytes_new (self->console_input->data, self->console_input->len);
  g_mutex_unlock (&self->lock);
  return input;
}

guint64
fs_sim_board_get_bytes_sent (FsSimBoard *self)
{
  guint64 sent;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), 0);

  g_mutex_lock (&self->lock);
  sent = self->bytes_sent;
  g_mutex_unlock (&self->lock);
  return sent;
}

gboolean
fs_sim_board_wait_mode (FsSimBoard *self,
                        FsSimMode   mode,
                        guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean reached;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), FALSE);

  g_mutex_lock (&self->lock);
  while (self->mode != mode && g_cond_wait_until (&self->cond, &self->lock, end))
    ;
  reached = self->mode == mode;
  g_mutex_unlock (&self->lock);
  return reached;
}

FsSimFlash *
fs_sim_board_get_flash (FsSimBoard *self)
{
  g_return_val_if_fail (FS_IS_SIM_BOARD (self), NULL);
  return self->flash;
}

char *
fs_sim_board_dup_boot_log (FsSimBoard *self)
{
  char *log;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), NULL);

  g_mutex_lock (&self->lock);
  log = g_strdup (self->boot_log);
  g_mutex_unlock (&self->lock);
  return log;
}

gboolean
fs_sim_board_write (FsSimBoard    *self,
                    const guint8  *data,
                    gsize          len,
                    GError       **error)
{
  Message *message;
  gboolean plugged;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), FALSE);

  g_mutex_lock (&self->lock);
  plugged = self->plugged;
  g_mutex_unlock (&self->lock);
  if (!plugged)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_DISCONNECTED, _("the virtual board is unplugged"));
      return FALSE;
    }

  message = message_new (MESSAGE_WRITE);
  message->data = g_bytes_new (data, len);
  post (self, message);
  return TRUE;
}

gssize
fs_sim_board_read (FsSimBoard    *self,
                   guint8        *buffer,
                   gsize          len,
                   guint          timeout_ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gsize n = 0;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), -1);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (!self->plugged)
        {
          g_mutex_unlock (&self->lock);
          g_set_error_literal (error, FS_ERROR, FS_ERROR_DISCONNECTED, _("the virtual board is unplugged"));
          return -1;
        }
      if (self->read_buffer->len > 0 || now >= end)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_mutex_unlock (&self->lock);
          return -1;
        }
      g_cond_wait_until (&self->cond, &self->lock, MIN (end, now + READ_SLICE_US));
    }
  n = MIN (len, self->read_buffer->len);
  /* An empty GByteArray's data may be NULL: a time-out reads nothing */
  if (n > 0)
    {
      memcpy (buffer, self->read_buffer->data, n);
      g_byte_array_remove_range (self->read_buffer, 0, n);
    }
  g_mutex_unlock (&self->lock);
  return n;
}

void
fs_sim_board_set_sink (FsSimBoard                *self,
                       const FsSimBoardSinkFuncs *funcs,
                       gpointer                   user_data)
{
  Message *message = message_new (MESSAGE_SINK);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->sink = funcs;
  message->sink_data = user_data;
  post (self, message);
}

gboolean
fs_sim_board_get_plugged (FsSimBoard *self)
{
  gboolean plugged;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), FALSE);

  g_mutex_lock (&self->lock);
  plugged = self->plugged;
  g_mutex_unlock (&self->lock);
  return plugged;
}

void
fs_sim_board_set_lines (FsSimBoard *self,
                        gboolean    dtr,
                        gboolean    rts)
{
  Message *message = message_new (MESSAGE_LINES);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->a = dtr;
  message->b = rts;
  post (self, message);
}

void
fs_sim_board_set_host_baud (FsSimBoard *self,
                            guint       baud)
{
  Message *message = message_new (MESSAGE_HOST_BAUD);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->value = baud;
  post (self, message);
}

void
fs_sim_board_set_jumper (FsSimBoard *self,
                         gboolean    placed)
{
  Message *message = message_new (MESSAGE_JUMPER);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->a = placed;
  post (self, message);
  set_person_switch (self, &self->person_jumper, placed, PROP_JUMPER);
}

void
fs_sim_board_set_boot_held (FsSimBoard *self,
                            gboolean    held)
{
  Message *message = message_new (MESSAGE_BOOT_HELD);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->a = held;
  post (self, message);
  set_person_switch (self, &self->person_boot_held, held, PROP_BOOT_HELD);
}

void
fs_sim_board_set_held (FsSimBoard *self,
                       gboolean    held)
{
  Message *message = message_new (MESSAGE_HOLD);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->a = held;
  post (self, message);
  set_person_switch (self, &self->person_held, held, PROP_HELD);
}

void
fs_sim_board_press_reset (FsSimBoard *self)
{
  g_return_if_fail (FS_IS_SIM_BOARD (self));
  post (self, message_new (MESSAGE_RESET));
}

void
fs_sim_board_press_reset_with_boot (FsSimBoard *self)
{
  Message *message = message_new (MESSAGE_RESET);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->a = TRUE;
  post (self, message);
}

void
fs_sim_board_set_plugged (FsSimBoard *self,
                          gboolean    plugged)
{
  Message *message = message_new (MESSAGE_PLUGGED);

  g_return_if_fail (FS_IS_SIM_BOARD (self));
  message->a = plugged;
  post (self, message);
  set_person_switch (self, &self->person_plugged, plugged, PROP_PLUGGED);
}

void
fs_sim_board_get_faults (FsSimBoard  *self,
                         FsSimFaults *faults)
{
  g_return_if_fail (FS_IS_SIM_BOARD (self));

  g_mutex_lock (&self->lock);
  *faults = self->requested_faults;
  g_mutex_unlock (&self->lock);
}

void
fs_sim_board_set_faults (FsSimBoard        *self,
                         const FsSimFaults *faults)
{
  Message *message = message_new (MESSAGE_FAULTS);

  g_return_if_fail (FS_IS_SIM_BOARD (self));

  g_mutex_lock (&self->lock);
  self->requested_faults = *faults;
  g_mutex_unlock (&self->lock);
  message->faults = *faults;
  post (self, message);
}
