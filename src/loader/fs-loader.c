/* fs-loader.c: talking to an ESP32's serial loader, the ROM's or a stub's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <zlib.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-loader.h"
#include "fs-packet.h"
#include "fs-slip.h"

#define DEFAULT_TIMEOUT_MS     3000
#define SYNC_TIMEOUT_MS        100
#define SYNC_REPLIES           8
#define CONNECT_ATTEMPTS       7
#define SYNC_TRIES             5
#define STUB_GREETING_MS       1000
#define ROM_WRITE_BLOCK        0x400
#define STUB_WRITE_BLOCK       0x4000
#define MEM_BLOCK              0x1800
#define ROM_READ_BLOCK         64
#define STUB_READ_BLOCK        0x1000
#define STUB_READ_IN_FLIGHT    64
/* A failed block restarts its chunk from FLASH_DEFL_BEGIN: the ROM takes
 * no block twice, so chunks keep a retry cheap */
#define WRITE_CHUNK            FS_FLASH_BLOCK_SIZE
#define WRITE_ATTEMPTS         6
/* Tries of a chunk larger than a sector before it is written in halves */
#define CHUNK_ATTEMPTS         2
/* The ROM's inflate buffer: a compressed ROM write can change up to this
 * much flash after its end (../shared/notes/rom-compressed-write-spill.md) */
#define ROM_SPILL_SIZE         (32 * 1024)
/* ROM reads are checked by MD5 this much at a time */
#define ROM_READ_CHECKED       (4 * 1024)

#define ESP32_EFUSE_BASE       0x3FF5A000u
#define ESP32_APB_CTL_DATE     0x3FF6607Cu
#define ESP32_UART_CLKDIV      0x3FF40014u
#define ESP32_SPI_BASE         0x3FF42000u
#define SPI_CMD_OFFS           0x00
#define SPI_USR_OFFS           0x1C
#define SPI_USR2_OFFS          0x24
#define SPI_MOSI_DLEN_OFFS     0x28
#define SPI_MISO_DLEN_OFFS     0x2C
#define SPI_W0_OFFS            0x80
#define SPI_CMD_USR            (1u << 18)
#define SPI_USR_COMMAND        (1u << 31)
#define SPI_USR_MISO           (1u << 28)
#define SPIFLASH_RDID          0x9F

#define ROM_ERR_INVALID        0x05

/* What tells the chips apart: the word at the chip-detect address */
typedef struct {
  guint32  magic;
  FsChipId chip;
} ChipMagic;

static const ChipMagic chip_magics[] = {
  { 0x00F01D83, FS_CHIP_ESP32 },
  { 0x000007C6, FS_CHIP_ESP32_S2 },
};

struct _FsLoader
{
  GObject        parent_instance;
  FsTransport   *transport;
  FsSlipDecoder *decoder;
  gboolean       stub;
  guint64        flash_size;
  /* A reset brings the chip's UART back to the baud the link began at */
  guint          initial_baud;
};

G_DEFINE_TYPE (FsLoader, fs_loader, G_TYPE_OBJECT)

static void
fs_loader_finalize (GObject *object)
{
  FsLoader *self = FS_LOADER (object);

  g_clear_object (&self->transport);
  g_clear_object (&self->decoder);
  G_OBJECT_CLASS (fs_loader_parent_class)->finalize (object);
}

static void
fs_loader_class_init (FsLoaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_loader_finalize;
}

static void
fs_loader_init (FsLoader *self)
{
  self->decoder = fs_slip_decoder_new (FS_SLIP_DEFAULT_MAX_FRAME);
}

FsLoader *
fs_loader_new (FsTransport *transport)
{
  FsLoader *self;

  g_return_val_if_fail (FS_IS_TRANSPORT (transport), NULL);

  self = g_object_new (FS_TYPE_LOADER, NULL);
  self->transport = g_object_ref (transport);
  self->initial_baud = fs_transport_get_baud (transport);
  return self;
}

FsTransport *
fs_loader_get_transport (FsLoader *self)
{
  g_return_val_if_fail (FS_IS_LOADER (self), NULL);
  return self->transport;
}

gboolean
fs_loader_get_stub_running (FsLoader *self)
{
  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);
  return self->stub;
}

/* esptool's timeout_per_mb(): long operations scale with their size */
static guint
timeout_per_mb (guint seconds_per_mb,
                guint64 size)
{
  guint64 ms = seconds_per_mb * 1000 * size / (1024 * 1024);

  return (guint) CLAMP (ms, DEFAULT_TIMEOUT_MS, G_MAXUINT32 / 2);
}

static void
put_u32 (guint8 *p, guint32 value)
{
  p[0] = value & 0xFF;
  p[1] = (value >> 8) & 0xFF;
  p[2] = (value >> 16) & 0xFF;
  p[3] = (value >> 24) & 0xFF;
}

/* ---- the link ---- */

static gboolean
check_cancelled (GCancellable  *cancellable,
                 GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error (error, FS_ERROR, FS_ERROR_CANCELLED, _("Cancelled"));
  return TRUE;
}

/* The transport reports a cancellation in GIO's domain: FS_ERROR's here */
static void
propagate_error (GError **dest,
                 GError  *src)
{
  if (g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (src);
      g_set_error (dest, FS_ERROR, FS_ERROR_CANCELLED, _("Cancelled"));
      return;
    }
  g_propagate_error (dest, src);
}

static gssize
transport_read (FsLoader      *self,
                guint8        *buffer,
                gsize          len,
                guint          timeout_ms,
                GCancellable  *cancellable,
                GError       **error)
{
  GError *local_error = NULL;
  gssize n = fs_transport_read (self->transport, buffer, len, timeout_ms, cancellable,
                                &local_error);

  if (n < 0)
    propagate_error (error, local_error);
  return n;
}

static gboolean
send_frame (FsLoader      *self,
            const guint8  *data,
            gsize          len,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  GError *local_error = NULL;

  fs_slip_encode (out, data, len);
  if (fs_transport_write (self->transport, out->data, out->len, cancellable, &local_error))
    return TRUE;
  propagate_error (error, local_error);
  return FALSE;
}

static gboolean
send_packet (FsLoader      *self,
             GBytes        *packet,
             GCancellable  *cancellable,
             GError       **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (packet, &len);

  return send_frame (self, data, len, cancellable, error);
}

/* The next frame within @timeout_ms; NULL with FS_ERROR_TIMED_OUT when
 * none came */
static GBytes *
read_frame (FsLoader      *self,
            guint          timeout_ms,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      GBytes *frame = fs_slip_decoder_pop (self->decoder);
      guint8 buffer[4096];
      gint64 left;
      gssize n;

      if (frame != NULL)
        return frame;
      left = (deadline - g_get_monotonic_time ()) / 1000;
      if (left <= 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_TIMED_OUT,
                       _("The board did not answer on “%s” in time"),
                       fs_transport_get_name (self->transport));
          return NULL;
        }
      n = transport_read (self, buffer, sizeof buffer, (guint) left, cancellable, error);
      if (n < 0)
        return NULL;
      fs_slip_decoder_push (self->decoder, buffer, n);
    }
}

/* Forgets what the board sent and was not read: stale answers of a
 * failed exchange */
static gboolean
flush_input (FsLoader  *self,
             GError   **error)
{
  fs_slip_decoder_reset (self->decoder);
  return fs_transport_flush_input (self->transport, error);
}

/* Errors after which another try can help: lost or damaged answers */
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, FS_ERROR, FS_ERROR_TIMED_OUT) ||
         g_error_matches (error, FS_ERROR, FS_ERROR_LOADER) ||
         g_error_matches (error, FS_ERROR, FS_ERROR_INVALID_DATA) ||
         g_error_matches (error, FS_ERROR, FS_ERROR_VERIFY_FAILED);
}

/* Sends @packet and waits for the answer to @opcode. Answers to other
 * commands are stale and skipped, except the ROM's answer to a command it
 * does not know: failure 05 under the opcode of the last one it knew. */
static FsResponse *
command_packet (FsLoader      *self,
                guint8         opcode,
                GBytes        *packet,
                guint          timeout_ms,
                GCancellable  *cancellable,
                GError       **error)
{
  FsStatusLen status_len = self->stub ? FS_STATUS_LEN_STUB : FS_STATUS_LEN_ROM;
  gint64 deadline;

  if (!send_packet (self, packet, cancellable, error))
    return NULL;
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(FsResponse) response = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      const guint8 *data;
      gsize len = 0;

      frame = read_frame (self, (guint) MAX (left, 0), cancellable, &local_error);
      if (frame == NULL)
        {
          if (g_error_matches (local_error, FS_ERROR, FS_ERROR_TIMED_OUT))
            g_prefix_error (&local_error, "%s: ", fs_opcode_to_string (opcode));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      data = g_bytes_get_data (frame, &len);
      response = fs_response_parse (data, len, status_len, NULL);
      if (response == NULL)
        continue;
      if (response->opcode == opcode)
        return g_steal_pointer (&response);
      if (!self->stub && response->status == 1 && response->error == ROM_ERR_INVALID)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                       _("The ROM loader does not know the command “%s”"),
                       fs_opcode_to_string (opcode));
          return NULL;
        }
    }
}

static FsResponse *
check_command_once (FsLoader      *self,
                    guint8         opcode,
                    GBytes        *packet,
                    guint          timeout_ms,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(FsResponse) response = NULL;

  response = command_packet (self, opcode, packet, timeout_ms, cancellable, error);
  if (response == NULL)
    return NULL;
  if (!fs_response_check (response, error))
    return NULL;
  return g_steal_pointer (&response);
}

/* Commands that do the same when sent twice: a lost or damaged exchange
 * is simply tried again. The others belong to a sequence (a write's
 * blocks, a stub upload) that their callers restart as a whole. */
static gboolean
is_idempotent (guint8 opcode)
{
  switch (opcode)
    {
    case FS_OP_READ_REG:
    case FS_OP_WRITE_REG:
    case FS_OP_SPI_SET_PARAMS:
    case FS_OP_SPI_ATTACH:
    case FS_OP_SPI_FLASH_MD5:
    case FS_OP_GET_SECURITY_INFO:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A command that must succeed; returns its answer */
static FsResponse *
check_command (FsLoader      *self,
               guint8         opcode,
               GBytes        *packet,
               guint          timeout_ms,
               GCancellable  *cancellable,
               GError       **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      FsResponse *response = check_command_once (self, opcode, packet, timeout_ms, cancellable,
                                                 &local_error);

      if (response != NULL)
        return response;
      if (!is_idempotent (opcode) || attempt >= WRITE_ATTEMPTS || !is_transient (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("sending %s again: %s", fs_opcode_to_string (opcode), local_error->message);
      /* Let a stale answer arrive before it is forgotten */
      g_usleep (20 * 1000);
      if (!flush_input (self, error))
        return NULL;
    }
}

static FsResponse *
check_words (FsLoader      *self,
             guint8         opcode,
             const guint32 *words,
             guint          n_words,
             guint          timeout_ms,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GBytes) packet = fs_packet_words_command_new (opcode, words, n_words);

  return check_command (self, opcode, packet, timeout_ms, cancellable, error);
}

static gboolean
check_words_ok (FsLoader      *self,
                guint8         opcode,
                const guint32 *words,
                guint          n_words,
                guint          timeout_ms,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(FsResponse) response = NULL;

  response = check_words (self, opcode, words, n_words, timeout_ms, cancellable, error);
  return response != NULL;
}

/* ---- reset and connect ---- */

static gboolean
set_lines (FsLoader  *self,
           gboolean   dtr,
           gboolean   rts,
           guint      then_ms,
           GError   **error)
{
  if (!fs_transport_set_lines (self->transport, dtr, rts, error))
    return FALSE;
  if (then_ms > 0)
    g_usleep (then_ms * 1000);
  return TRUE;
}

static gboolean
restore_baud (FsLoader  *self,
              GError   **error)
{
  if (self->initial_baud == 0 || fs_transport_get_baud (self->transport) == self->initial_baud)
    return TRUE;
  return fs_transport_set_baud (self->transport, self->initial_baud, error);
}

/* esptool's ClassicReset: EN low, then IO0 low while EN rises */
static gboolean
classic_reset (FsLoader  *self,
               guint      delay_ms,
               GError   **error)
{
  return restore_baud (self, error) &&
         set_lines (self, FALSE, TRUE, 100, error) &&
         set_lines (self, TRUE, FALSE, delay_ms, error) &&
         set_lines (self, FALSE, FALSE, 0, error);
}

/* esptool's HardReset: an EN pulse with IO0 left high */
static gboolean
hard_reset (FsLoader  *self,
            GError   **error)
{
  return set_lines (self, FALSE, TRUE, 100, error) &&
         set_lines (self, FALSE, FALSE, 0, error) &&
         restore_baud (self, error);
}

/* One SYNC: its first answer, then the rest the ROM sends, drained */
static gboolean
sync_once (FsLoader      *self,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(FsResponse) response = NULL;
  g_autoptr(GBytes) packet = fs_packet_sync_new ();

  response = check_command (self, FS_OP_SYNC, packet, SYNC_TIMEOUT_MS, cancellable, error);
  if (response == NULL)
    return FALSE;
  for (guint i = 1; i < SYNC_REPLIES; i++)
    {
      g_autoptr(GBytes) frame = read_frame (self, SYNC_TIMEOUT_MS, cancellable, NULL);

      if (frame == NULL)
        break;
    }
  return TRUE;
}

/* Keeps what the board printed: its boot log says why it did not answer */
static void
keep_noise (FsLoader *self,
            GString  *printed)
{
  g_autoptr(GBytes) noise = fs_slip_decoder_take_noise (self->decoder);
  gsize len = 0;
  const char *data = g_bytes_get_data (noise, &len);

  g_string_append_len (printed, data, len);
}

typedef enum {
  SYNC_OK,
  SYNC_SILENT,
  SYNC_FAILED,
} SyncResult;

/* A few SYNCs after a reset; SYNC_FAILED with @error set when the link
 * itself failed */
static SyncResult
try_sync (FsLoader      *self,
          GString       *printed,
          GCancellable  *cancellable,
          GError       **error)
{
  for (guint i = 0; i < SYNC_TRIES; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (sync_once (self, cancellable, &local_error))
        return SYNC_OK;
      keep_noise (self, printed);
      if (!g_error_matches (local_error, FS_ERROR, FS_ERROR_TIMED_OUT) &&
          !g_error_matches (local_error, FS_ERROR, FS_ERROR_LOADER))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return SYNC_FAILED;
        }
      if (!flush_input (self, error))
        return SYNC_FAILED;
    }
  return SYNC_SILENT;
}

/* Reads what the board prints for a while after a reset */
static gboolean
collect_boot_log (FsLoader      *self,
                  GString       *printed,
                  GCancellable  *cancellable,
                  GError       **error)
{
  guint8 buffer[1024];
  gssize n;

  while ((n = transport_read (self, buffer, sizeof buffer, 50, cancellable, error)) > 0)
    fs_slip_decoder_push (self->decoder, buffer, n);
  if (n < 0)
    return FALSE;
  keep_noise (self, printed);
  fs_slip_decoder_reset (self->decoder);
  return TRUE;
}

static gboolean
no_answer_error (FsLoader  *self,
                 GString   *printed,
                 GError   **error)
{
  const char *boot = strstr (printed->str, "boot:0x");

  if (boot != NULL && strstr (boot, "waiting for download") == NULL)
    {
      g_autofree char *line = g_strndup (boot, strcspn (boot, "\r\n"));

      g_set_error (error, FS_ERROR, FS_ERROR_NO_ANSWER,
                   _("The board on “%s” started its application (“%s”) instead of its "
                     "loader: it is in the wrong boot mode. Hold the BOOT button or "
                     "place the jumper on IO0, then reset it."),
                   fs_transport_get_name (self->transport), line);
      return FALSE;
    }
  g_set_error (error, FS_ERROR, FS_ERROR_NO_ANSWER,
               _("Nothing answered on “%s”: no board, or the wrong port"),
               fs_transport_get_name (self->transport));
  return FALSE;
}

gboolean
fs_loader_connect (FsLoader      *self,
                   FsBefore       before,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GString) printed = g_string_new (NULL);

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  self->stub = FALSE;
  for (guint attempt = 0; before == FS_BEFORE_MANUAL || attempt < CONNECT_ATTEMPTS; attempt++)
    {
      if (check_cancelled (cancellable, error))
        return FALSE;
      if (before == FS_BEFORE_DEFAULT_RESET)
        {
          if (!flush_input (self, error) ||
              !classic_reset (self, attempt % 2 == 0 ? 50 : 550, error) ||
              !collect_boot_log (self, printed, cancellable, error))
            return FALSE;
        }
      if (!flush_input (self, error))
        return FALSE;
      switch (try_sync (self, printed, cancellable, error))
        {
        case SYNC_OK:
          return TRUE;
        case SYNC_FAILED:
          return FALSE;
        case SYNC_SILENT:
        default:
          break;
        }
    }
  return no_answer_error (self, printed, error);
}

/* ---- registers ---- */

gboolean
fs_loader_read_reg (FsLoader      *self,
                    guint32        address,
                    guint32       *value,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(FsResponse) response = NULL;

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  response = check_words (self, FS_OP_READ_REG, &address, 1, DEFAULT_TIMEOUT_MS,
                          cancellable, error);
  if (response == NULL)
    return FALSE;
  if (value != NULL)
    *value = response->value;
  return TRUE;
}

gboolean
fs_loader_write_reg (FsLoader      *self,
                     guint32        address,
                     guint32        value,
                     GCancellable  *cancellable,
                     GError       **error)
{
  guint32 words[] = { address, value, 0xFFFFFFFF, 0 };

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  return check_words_ok (self, FS_OP_WRITE_REG, words, G_N_ELEMENTS (words),
                         DEFAULT_TIMEOUT_MS, cancellable, error);
}

/* ---- identify ---- */

static gboolean
read_efuse (FsLoader      *self,
            guint          word,
            guint32       *value,
            GCancellable  *cancellable,
            GError       **error)
{
  return fs_loader_read_reg (self, ESP32_EFUSE_BASE + 4 * word, value, cancellable, error);
}

/* esptool's run_spiflash_command, for a command that only reads */
static gboolean
spiflash_read_command (FsLoader      *self,
                       guint8         command,
                       guint          read_bits,
                       guint32       *result,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint32 old_usr = 0, old_usr2 = 0, cmd = SPI_CMD_USR;

  if (!fs_loader_read_reg (self, ESP32_SPI_BASE + SPI_USR_OFFS, &old_usr, cancellable, error) ||
      !fs_loader_read_reg (self, ESP32_SPI_BASE + SPI_USR2_OFFS, &old_usr2, cancellable, error) ||
      !fs_loader_write_reg (self, ESP32_SPI_BASE + SPI_MISO_DLEN_OFFS, read_bits - 1,
                            cancellable, error) ||
      !fs_loader_write_reg (self, ESP32_SPI_BASE + SPI_USR_OFFS,
                            SPI_USR_COMMAND | SPI_USR_MISO, cancellable, error) ||
      !fs_loader_write_reg (self, ESP32_SPI_BASE + SPI_USR2_OFFS, (7u << 28) | command,
                            cancellable, error) ||
      !fs_loader_write_reg (self, ESP32_SPI_BASE + SPI_W0_OFFS, 0, cancellable, error) ||
      !fs_loader_write_reg (self, ESP32_SPI_BASE + SPI_CMD_OFFS, SPI_CMD_USR,
                            cancellable, error))
    return FALSE;
  for (guint i = 0; i < 10 && (cmd & SPI_CMD_USR) != 0; i++)
    {
      if (!fs_loader_read_reg (self, ESP32_SPI_BASE + SPI_CMD_OFFS, &cmd, cancellable, error))
        return FALSE;
    }
  if ((cmd & SPI_CMD_USR) != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_TIMED_OUT,
                   _("The SPI flash command 0x%02X did not finish"), command);
      return FALSE;
    }
  if (!fs_loader_read_reg (self, ESP32_SPI_BASE + SPI_W0_OFFS, result, cancellable, error))
    return FALSE;
  *result &= (read_bits >= 32) ? 0xFFFFFFFF : ((1u << read_bits) - 1);
  return fs_loader_write_reg (self, ESP32_SPI_BASE + SPI_USR_OFFS, old_usr, cancellable, error) &&
         fs_loader_write_reg (self, ESP32_SPI_BASE + SPI_USR2_OFFS, old_usr2, cancellable, error);
}

/* The capacity byte of a JEDEC ID as esptool's DETECTED_FLASH_SIZES */
static guint64
flash_size_from_id (guint32 flash_id)
{
  guint capacity = (flash_id >> 16) & 0xFF;

  if (capacity >= 0x12 && capacity <= 0x1C)
    return G_GUINT64_CONSTANT (1) << capacity;
  if (capacity >= 0x20 && capacity <= 0x22)
    return G_GUINT64_CONSTANT (1) << (capacity - 6);
  if (capacity >= 0x32 && capacity <= 0x3A)
    return G_GUINT64_CONSTANT (1) << (capacity - 0x20);
  return 0;
}

static const char *
esp32_package_name (guint package)
{
  switch (package)
    {
    case 0: return "ESP32-D0WDQ6";
    case 1: return "ESP32-D0WD";
    case 2: return "ESP32-D2WD";
    case 4: return "ESP32-U4WDH";
    case 5: return "ESP32-PICO-D4";
    case 6: return "ESP32-PICO-V3-02";
    case 7: return "ESP32-D0WDR2-V3";
    default: return _("ESP32 (unknown package)");
    }
}

static gboolean
identify_esp32 (FsLoader      *self,
                FsChipFacts   *facts,
                GCancellable  *cancellable,
                GError       **error)
{
  guint32 efuse[7] = { 0 };
  guint32 apb_date = 0, clkdiv = 0;
  guint combined, package, crypt_cnt;
  const char *name;
  double xtal;

  for (guint i = 0; i < G_N_ELEMENTS (efuse); i++)
    {
      if (!read_efuse (self, i, &efuse[i], cancellable, error))
        return FALSE;
    }
  if (!fs_loader_read_reg (self, ESP32_APB_CTL_DATE, &apb_date, cancellable, error) ||
      !fs_loader_read_reg (self, ESP32_UART_CLKDIV, &clkdiv, cancellable, error))
    return FALSE;

  facts->mac[0] = (efuse[2] >> 8) & 0xFF;
  facts->mac[1] = efuse[2] & 0xFF;
  facts->mac[2] = (efuse[1] >> 24) & 0xFF;
  facts->mac[3] = (efuse[1] >> 16) & 0xFF;
  facts->mac[4] = (efuse[1] >> 8) & 0xFF;
  facts->mac[5] = efuse[1] & 0xFF;

  combined = ((apb_date >> 31) & 1) << 2 | ((efuse[5] >> 20) & 1) << 1 | ((efuse[3] >> 15) & 1);
  switch (combined)
    {
    case 1: facts->revision_major = 1; break;
    case 3: facts->revision_major = 2; break;
    case 7: facts->revision_major = 3; break;
    default: facts->revision_major = 0; break;
    }
  facts->revision_minor = (efuse[5] >> 24) & 0x3;

  package = ((efuse[3] >> 9) & 0x7) | ((efuse[3] >> 2) & 0x1) << 3;
  name = esp32_package_name (package);
  if (g_str_has_prefix (name, "ESP32-D0WD") && !g_str_has_suffix (name, "-V3") &&
      facts->revision_major == 3)
    g_snprintf (facts->description, sizeof facts->description, "%s-V3", name);
  else if (package == 5 && facts->revision_major == 3)
    g_strlcpy (facts->description, "ESP32-PICO-V3", sizeof facts->description);
  else
    g_strlcpy (facts->description, name, sizeof facts->description);

  /* The ROM set its UART divider from the crystal for the current baud */
  xtal = (double) fs_transport_get_baud (self->transport) * (clkdiv & 0xFFFFF) / 1e6;
  facts->xtal_mhz = xtal > 33 ? 40 : 26;

  crypt_cnt = (efuse[0] >> 20) & 0x7F;
  facts->flash_encryption = FALSE;
  for (guint bit = 0; bit < 7; bit++)
    facts->flash_encryption ^= (crypt_cnt >> bit) & 1;
  facts->secure_boot = (efuse[6] >> 4) & 1;
  return TRUE;
}

gboolean
fs_loader_identify (FsLoader      *self,
                    FsChipFacts   *facts,
                    GCancellable  *cancellable,
                    GError       **error)
{
  guint32 magic = 0;

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);
  g_return_val_if_fail (facts != NULL, FALSE);

  memset (facts, 0, sizeof *facts);
  facts->chip = FS_CHIP_UNKNOWN;
  if (!fs_loader_read_reg (self, 0x40001000, &magic, cancellable, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (chip_magics); i++)
    {
      if (chip_magics[i].magic == magic)
        facts->chip = chip_magics[i].chip;
    }
  if (facts->chip != FS_CHIP_ESP32)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   _("The chip on “%s” (magic 0x%08X) is not an ESP32: only the ESP32 is "
                     "supported"),
                   fs_transport_get_name (self->transport), magic);
      return FALSE;
    }
  if (!identify_esp32 (self, facts, cancellable, error))
    return FALSE;
  if (!spiflash_read_command (self, SPIFLASH_RDID, 24, &facts->flash_id, cancellable, error))
    return FALSE;
  facts->flash_size = flash_size_from_id (facts->flash_id);
  if (facts->flash_size != 0)
    self->flash_size = facts->flash_size;
  return TRUE;
}

/* ---- flash parameters ---- */

gboolean
fs_loader_attach_flash (FsLoader      *self,
                        guint64        flash_size,
                        GCancellable  *cancellable,
                        GError       **error)
{
  guint32 attach[] = { 0, 0 };
  guint32 params[] = { 0, (guint32) flash_size, 64 * 1024, 4096, 256, 0xFFFF };

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  if (flash_size == 0 || flash_size > G_MAXUINT32)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   g_dngettext (GETTEXT_PACKAGE, "A flash of %llu byte cannot be attached",
                                "A flash of %llu bytes cannot be attached", flash_size),
                   (unsigned long long) flash_size);
      return FALSE;
    }
  /* The ROM takes a second word, the stub only the first */
  if (!check_words_ok (self, FS_OP_SPI_ATTACH, attach, self->stub ? 1 : 2,
                       DEFAULT_TIMEOUT_MS, cancellable, error) ||
      !check_words_ok (self, FS_OP_SPI_SET_PARAMS, params, G_N_ELEMENTS (params),
                       DEFAULT_TIMEOUT_MS, cancellable, error))
    return FALSE;
  self->flash_size = flash_size;
  return TRUE;
}

gboolean
fs_loader_change_baud (FsLoader      *self,
                       guint          baud,
                       GCancellable  *cancellable,
                       GError       **error)
{
  /* The stub scales its divider by the baud the host talks at now */
  guint32 words[] = { baud, self->stub ? fs_transport_get_baud (self->transport) : 0 };

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  if (baud == 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("A baud of 0 is not possible"));
      return FALSE;
    }
  if (!check_words_ok (self, FS_OP_CHANGE_BAUDRATE, words, G_N_ELEMENTS (words),
                       DEFAULT_TIMEOUT_MS, cancellable, error) ||
      !fs_transport_set_baud (self->transport, baud, error))
    return FALSE;
  g_usleep (50 * 1000);
  return flush_input (self, error);
}

/* ---- MD5 ---- */

static gboolean
parse_hex_digest (const guint8 *hex,
                  guint8        md5[16])
{
  for (guint i = 0; i < 16; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      md5[i] = hi << 4 | lo;
    }
  return TRUE;
}

gboolean
fs_loader_flash_md5 (FsLoader      *self,
                     guint32        offset,
                     guint32        size,
                     guint8         md5[16],
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(FsResponse) response = NULL;
  guint32 words[] = { offset, size, 0, 0 };
  const guint8 *data;
  gsize len = 0;

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  response = check_words (self, FS_OP_SPI_FLASH_MD5, words, G_N_ELEMENTS (words),
                          timeout_per_mb (8, size), cancellable, error);
  if (response == NULL)
    return FALSE;
  data = g_bytes_get_data (response->data, &len);
  if (len == 16)
    {
      memcpy (md5, data, 16);
      return TRUE;
    }
  if (len == 32 && parse_hex_digest (data, md5))
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
               g_dngettext (GETTEXT_PACKAGE, "The board’s MD5 of 0x%08X–0x%08X is malformed (%zu byte)",
                            "The board’s MD5 of 0x%08X–0x%08X is malformed (%zu bytes)", len),
               offset, offset + size, len);
  return FALSE;
}

static void
compute_md5 (const guint8 *data,
             gsize         len,
             guint8        md5[16])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  gsize md5_len = 16;

  g_checksum_update (checksum, data, len);
  g_checksum_get_digest (checksum, md5, &md5_len);
}

/* ---- writing ---- */

typedef struct {
  FsLoaderProgressFunc func;
  gpointer             user_data;
  guint64              done;
  guint64              total;
} Progress;

static void
progress_add (Progress *progress,
              guint64   n)
{
  progress->done += n;
  if (progress->func != NULL)
    progress->func (MIN (progress->done, progress->total), progress->total, progress->user_data);
}

static GBytes *
deflate_data (const guint8  *data,
          gsize          len,
          GError       **error)
{
  uLongf out_len = compressBound (len);
  g_autofree guint8 *out = g_malloc (out_len);

  if (compress2 (out, &out_len, data, len, 9) != Z_OK)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("The data could not be compressed"));
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&out), out_len);
}

/* One write of @len bytes at @offset from FLASH_(DEFL_)BEGIN to its last
 * block; any failure means the whole piece has to be written again */
static gboolean
write_piece (FsLoader      *self,
             guint32        offset,
             const guint8  *data,
             gsize          len,
             gboolean       deflate,
             GCancellable  *cancellable,
             GError       **error)
{
  guint block_size = self->stub ? STUB_WRITE_BLOCK : ROM_WRITE_BLOCK;
  g_autoptr(GBytes) compressed = NULL;
  const guint8 *payload = data;
  gsize payload_len = len;
  guint32 blocks, erase_size;
  guint8 begin_op = deflate ? FS_OP_FLASH_DEFL_BEGIN : FS_OP_FLASH_BEGIN;
  guint8 data_op = deflate ? FS_OP_FLASH_DEFL_DATA : FS_OP_FLASH_DATA;

  if (deflate)
    {
      compressed = deflate_data (data, len, error);
      if (compressed == NULL)
        return FALSE;
      payload = g_bytes_get_data (compressed, &payload_len);
    }
  blocks = (payload_len + block_size - 1) / block_size;
  /* The ROM wants the erase rounded up to its blocks; the stub the size */
  if (self->stub || !deflate)
    erase_size = len;
  else
    erase_size = (len + block_size - 1) / block_size * block_size;
  {
    guint32 words[] = { erase_size, blocks, block_size, offset };

    if (!check_words_ok (self, begin_op, words, G_N_ELEMENTS (words),
                         self->stub ? DEFAULT_TIMEOUT_MS : timeout_per_mb (30, erase_size),
                         cancellable, error))
      return FALSE;
  }
  for (guint32 seq = 0; seq < blocks; seq++)
    {
      g_autoptr(GBytes) packet = NULL;
      g_autoptr(FsResponse) response = NULL;
      g_autofree guint8 *padded = NULL;
      gsize n = MIN (block_size, payload_len - (gsize) seq * block_size);
      const guint8 *block = payload + (gsize) seq * block_size;

      if (check_cancelled (cancellable, error))
        return FALSE;
      /* Plain blocks go out whole, padded with bytes that program nothing */
      if (!deflate && n < block_size)
        {
          padded = g_malloc (block_size);
          memset (padded, 0xFF, block_size);
          memcpy (padded, block, n);
          block = padded;
          n = block_size;
        }
      packet = fs_packet_data_command_new (data_op, seq, block, n);
      response = check_command (self, data_op, packet,
                                deflate ? timeout_per_mb (40, block_size * 4) : DEFAULT_TIMEOUT_MS,
                                cancellable, error);
      if (response == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The stub acknowledges blocks before writing them: FLASH_DEFL_END (to
 * stay in the loader) collects the last one's result */
static gboolean
finish_stub_write (FsLoader      *self,
                   gboolean       deflate,
                   GCancellable  *cancellable,
                   GError       **error)
{
  guint32 stay = 1;

  return check_words_ok (self, deflate ? FS_OP_FLASH_DEFL_END : FS_OP_FLASH_END,
                         &stay, 1, DEFAULT_TIMEOUT_MS, cancellable, error);
}

/* Writes one chunk and checks its MD5, restarting it from its BEGIN when
 * a block or its answer is lost. A chunk that keeps failing is written
 * in halves: on a noisy link a smaller piece has better odds of getting
 * through whole. @progress counts what was written and checked. */
static gboolean
write_chunk (FsLoader      *self,
             guint32        offset,
             const guint8  *data,
             gsize          len,
             gboolean       deflate,
             Progress      *progress,
             GCancellable  *cancellable,
             GError       **error)
{
  guint attempts = len > FS_FLASH_SECTOR_SIZE ? CHUNK_ATTEMPTS : WRITE_ATTEMPTS;
  guint8 want[16], got[16];

  compute_md5 (data, len, want);
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (write_piece (self, offset, data, len, deflate, cancellable, &local_error) &&
          (!self->stub || finish_stub_write (self, deflate, cancellable, &local_error)) &&
          fs_loader_flash_md5 (self, offset, len, got, cancellable, &local_error))
        {
          if (memcmp (want, got, 16) == 0)
            {
              progress_add (progress, len);
              return TRUE;
            }
          g_set_error (&local_error, FS_ERROR, FS_ERROR_VERIFY_FAILED,
                       _("The flash at 0x%08X–0x%08X does not hold what was written "
                         "(MD5 differs)"),
                       offset, (guint32) (offset + len));
        }
      if (!is_transient (local_error) || (attempt >= attempts && len <= FS_FLASH_SECTOR_SIZE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("retrying the write at 0x%08X: %s", offset, local_error->message);
      /* Let a stale answer arrive before it is forgotten */
      g_usleep (20 * 1000);
      if (!flush_input (self, error))
        return FALSE;
      if (attempt >= attempts)
        {
          gsize half = (len / 2 + FS_FLASH_SECTOR_SIZE - 1) / FS_FLASH_SECTOR_SIZE * FS_FLASH_SECTOR_SIZE;

          return write_chunk (self, offset, data, half, deflate, progress, cancellable, error) &&
                 write_chunk (self, offset + half, data + half, len - half, deflate, progress,
                              cancellable, error);
        }
    }
}

static gboolean
write_region (FsLoader      *self,
              guint32        offset,
              const guint8  *data,
              gsize          len,
              gboolean       deflate,
              Progress      *progress,
              GCancellable  *cancellable,
              GError       **error)
{
  gsize n;

  for (gsize done = 0; done < len; done += n)
    {
      /* Chunks end on 64 KiB blocks, which the flash erases in one go
       * (a sector erase per 4 KiB takes several times longer) */
      n = MIN (WRITE_CHUNK - (offset + done) % WRITE_CHUNK, len - done);

      if (!write_chunk (self, offset + done, data + done, n, deflate, progress, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fs_loader_write_flash (FsLoader              *self,
                       guint32                offset,
                       GBytes                *data,
                       FsLoaderProgressFunc   progress_func,
                       gpointer               user_data,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr(GByteArray) padded = NULL;
  Progress progress = { progress_func, user_data, 0, 0 };
  const guint8 *bytes;
  gsize len = 0, head;

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &len);
  if (offset % FS_FLASH_SECTOR_SIZE != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("Flash writes start on a 4 KiB sector: 0x%08X does not"), offset);
      return FALSE;
    }
  if (len == 0)
    return TRUE;
  if ((guint64) offset + len > G_MAXUINT32)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("The data does not fit after 0x%08X"), offset);
      return FALSE;
    }
  /* The loaders erase whole sectors: the rest of the last one is read
   * first and written back, so nothing after the region changes */
  if (len % FS_FLASH_SECTOR_SIZE != 0)
    {
      gsize rest = FS_FLASH_SECTOR_SIZE - len % FS_FLASH_SECTOR_SIZE;
      g_autoptr(GBytes) after = fs_loader_read_flash (self, offset + len, rest, NULL, NULL,
                                                      cancellable, error);

      if (after == NULL)
        return FALSE;
      padded = g_byte_array_sized_new (len + rest);
      g_byte_array_append (padded, bytes, len);
      g_byte_array_append (padded, g_bytes_get_data (after, NULL), rest);
      bytes = padded->data;
      len = padded->len;
    }
  progress.total = len;
  if (self->stub)
    return write_region (self, offset, bytes, len, TRUE, &progress, cancellable, error);

  /* On the ROM, a compressed write may spill into the 32 KiB after it:
   * the last 32 KiB go plain, and their erase wipes what spilled */
  head = len > ROM_SPILL_SIZE ? len - ROM_SPILL_SIZE : 0;
  return write_region (self, offset, bytes, head, TRUE, &progress, cancellable, error) &&
         write_region (self, offset + head, bytes + head, len - head, FALSE, &progress,
                       cancellable, error);
}

/* ---- reading ---- */

static GBytes *
read_flash_rom (FsLoader      *self,
                guint32        offset,
                guint32        size,
                Progress      *progress,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (size);

  while (out->len < size)
    {
      guint32 n = MIN (ROM_READ_BLOCK, size - out->len);
      guint32 words[] = { offset + out->len, n };
      g_autoptr(FsResponse) response = NULL;
      gsize len = 0;
      const guint8 *data;

      if (check_cancelled (cancellable, error))
        return NULL;
      for (guint attempt = 1; response == NULL; attempt++)
        {
          g_autoptr(GError) local_error = NULL;

          response = check_words (self, FS_OP_READ_FLASH_SLOW, words, G_N_ELEMENTS (words),
                                  DEFAULT_TIMEOUT_MS, cancellable, &local_error);
          if (response != NULL && g_bytes_get_size (response->data) < n)
            {
              g_clear_pointer (&response, fs_response_free);
              g_set_error (&local_error, FS_ERROR, FS_ERROR_INVALID_DATA,
                           _("The board sent too little flash data at 0x%08X"),
                           offset + out->len);
            }
          if (response == NULL && (attempt >= WRITE_ATTEMPTS || !is_transient (local_error)))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (response == NULL && !flush_input (self, error))
            return NULL;
        }
      data = g_bytes_get_data (response->data, &len);
      g_byte_array_append (out, data, n);
      progress_add (progress, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The stub streams the data and waits for acks; a lost frame leaves the
 * stream stuck, so a failed read is simply tried again */
static GBytes *
read_flash_stub_once (FsLoader      *self,
                      guint32        offset,
                      guint32        size,
                      Progress      *progress,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (size);
  g_autoptr(GBytes) digest = NULL;
  guint32 words[] = { offset, size, STUB_READ_BLOCK, STUB_READ_IN_FLIGHT };
  guint8 want[16];
  guint64 start = progress->done;

  if (!check_words_ok (self, FS_OP_READ_FLASH, words, G_N_ELEMENTS (words),
                       DEFAULT_TIMEOUT_MS, cancellable, error))
    return NULL;
  while (out->len < size)
    {
      g_autoptr(GBytes) frame = read_frame (self, DEFAULT_TIMEOUT_MS, cancellable, error);
      guint8 ack[4];
      gsize len = 0;
      const guint8 *data;

      if (frame == NULL)
        return NULL;
      data = g_bytes_get_data (frame, &len);
      if (len == 0 || len > size - out->len)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                       g_dngettext (GETTEXT_PACKAGE, "The stub sent a flash data frame of %zu byte at 0x%08X",
                                    "The stub sent a flash data frame of %zu bytes at 0x%08X", len),
                       len, offset + out->len);
          return NULL;
        }
      g_byte_array_append (out, data, len);
      progress_add (progress, len);
      put_u32 (ack, out->len);
      if (!send_frame (self, ack, sizeof ack, cancellable, error))
        return NULL;
    }
  digest = read_frame (self, DEFAULT_TIMEOUT_MS, cancellable, error);
  if (digest == NULL)
    return NULL;
  compute_md5 (out->data, out->len, want);
  if (g_bytes_get_size (digest) != 16 || memcmp (g_bytes_get_data (digest, NULL), want, 16) != 0)
    {
      progress->done = start;
      g_set_error (error, FS_ERROR, FS_ERROR_VERIFY_FAILED,
                   _("The flash read from 0x%08X–0x%08X arrived damaged (MD5 differs)"),
                   offset, offset + size);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
read_flash_stub (FsLoader      *self,
                 guint32        offset,
                 guint32        size,
                 Progress      *progress,
                 GCancellable  *cancellable,
                 GError       **error)
{
  guint64 start = progress->done;

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      GBytes *bytes = read_flash_stub_once (self, offset, size, progress, cancellable,
                                            &local_error);

      if (bytes != NULL)
        return bytes;
      if (attempt >= WRITE_ATTEMPTS || !is_transient (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      progress->done = start;
      /* A stub stuck in a read takes any frame that is not an ack as its end */
      g_usleep (100 * 1000);
      if (!flush_input (self, error) || !send_frame (self, (const guint8 *) "", 0, cancellable, error))
        return NULL;
      g_usleep (100 * 1000);
      if (!flush_input (self, error))
        return NULL;
    }
}

/* The ROM's replies carry no checksum: each piece is checked by its MD5
 * on the board, and read again when a damaged byte slipped through */
static GBytes *
read_rom_piece (FsLoader      *self,
                guint32        offset,
                guint32        size,
                Progress      *progress,
                GCancellable  *cancellable,
                GError       **error)
{
  guint64 start = progress->done;

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GBytes) bytes = read_flash_rom (self, offset, size, progress, cancellable, error);
      guint8 want[16], got[16];

      if (bytes == NULL)
        return NULL;
      compute_md5 (g_bytes_get_data (bytes, NULL), size, want);
      if (!fs_loader_flash_md5 (self, offset, size, got, cancellable, error))
        return NULL;
      if (memcmp (want, got, 16) == 0)
        return g_steal_pointer (&bytes);
      if (attempt >= WRITE_ATTEMPTS)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_VERIFY_FAILED,
                       _("The flash read from 0x%08X–0x%08X arrived damaged (MD5 differs)"),
                       offset, offset + size);
          return NULL;
        }
      g_debug ("reading 0x%08X again: it arrived damaged", offset);
      progress->done = start;
      /* Let a stale answer arrive before it is forgotten */
      g_usleep (20 * 1000);
      if (!flush_input (self, error))
        return NULL;
    }
}

GBytes *
fs_loader_read_flash (FsLoader              *self,
                      guint32                offset,
                      guint32                size,
                      FsLoaderProgressFunc   progress_func,
                      gpointer               user_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  Progress progress = { progress_func, user_data, 0, size };
  g_autoptr(GByteArray) out = NULL;

  g_return_val_if_fail (FS_IS_LOADER (self), NULL);

  if (self->stub)
    return read_flash_stub (self, offset, size, &progress, cancellable, error);
  out = g_byte_array_sized_new (size);
  for (guint32 done = 0; done < size; done += ROM_READ_CHECKED)
    {
      g_autoptr(GBytes) piece = read_rom_piece (self, offset + done, MIN (ROM_READ_CHECKED, size - done),
                                                &progress, cancellable, error);

      if (piece == NULL)
        return NULL;
      g_byte_array_append (out, g_bytes_get_data (piece, NULL), g_bytes_get_size (piece));
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---- erasing ---- */

gboolean
fs_loader_erase_region (FsLoader      *self,
                        guint32        offset,
                        guint32        size,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  if (offset % FS_FLASH_SECTOR_SIZE != 0 || size % FS_FLASH_SECTOR_SIZE != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   g_dngettext (GETTEXT_PACKAGE, "An erase covers whole 4 KiB sectors: 0x%08X (%u byte) does not",
                                "An erase covers whole 4 KiB sectors: 0x%08X (%u bytes) does not", size),
                   offset, size);
      return FALSE;
    }
  if (self->stub)
    {
      guint32 words[] = { offset, size };

      return check_words_ok (self, FS_OP_ERASE_REGION, words, G_N_ELEMENTS (words),
                             timeout_per_mb (30, size), cancellable, error);
    }
  {
    guint32 words[] = { size, (size + ROM_WRITE_BLOCK - 1) / ROM_WRITE_BLOCK,
                        ROM_WRITE_BLOCK, offset };

    return check_words_ok (self, FS_OP_FLASH_BEGIN, words, G_N_ELEMENTS (words),
                           timeout_per_mb (30, size), cancellable, error);
  }
}

gboolean
fs_loader_erase_flash (FsLoader      *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  if (self->stub)
    return check_words_ok (self, FS_OP_ERASE_FLASH, NULL, 0, 120 * 1000, cancellable, error);
  if (self->flash_size == 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("The flash size is not known: identify the board or attach its flash first"));
      return FALSE;
    }
  return fs_loader_erase_region (self, 0, (guint32) self->flash_size, cancellable, error);
}

/* ---- the stub ---- */

static GBytes *
stub_segment (JsonObject  *root,
              const char  *key,
              GError     **error)
{
  const char *text;
  guchar *decoded;
  gsize len = 0;

  if (!json_object_has_member (root, key))
    return NULL;
  text = json_object_get_string_member_with_default (root, key, NULL);
  if (text == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The stub’s “$.%s” is not a base64 string"), key);
      return NULL;
    }
  decoded = g_base64_decode (text, &len);
  return g_bytes_new_take (decoded, len);
}

static gboolean
stub_address (JsonObject  *root,
              const char  *key,
              guint32     *address,
              GError     **error)
{
  JsonNode *node = json_object_get_member (root, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT32)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The stub’s “$.%s” is not an address"), key);
      return FALSE;
    }
  *address = (guint32) json_node_get_int (node);
  return TRUE;
}

static gboolean
upload_segment (FsLoader      *self,
                GBytes        *segment,
                guint32        address,
                GCancellable  *cancellable,
                GError       **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (segment, &len);
  guint32 blocks = (len + MEM_BLOCK - 1) / MEM_BLOCK;
  guint32 begin[] = { len, blocks, MEM_BLOCK, address };

  if (!check_words_ok (self, FS_OP_MEM_BEGIN, begin, G_N_ELEMENTS (begin),
                       DEFAULT_TIMEOUT_MS, cancellable, error))
    return FALSE;
  for (guint32 seq = 0; seq < blocks; seq++)
    {
      gsize n = MIN (MEM_BLOCK, len - (gsize) seq * MEM_BLOCK);
      g_autoptr(GBytes) packet = fs_packet_data_command_new (FS_OP_MEM_DATA, seq,
                                                             data + (gsize) seq * MEM_BLOCK, n);
      g_autoptr(FsResponse) response = NULL;

      response = check_command (self, FS_OP_MEM_DATA, packet, DEFAULT_TIMEOUT_MS,
                                cancellable, error);
      if (response == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
wait_greeting (FsLoader      *self,
               GCancellable  *cancellable,
               GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + STUB_GREETING_MS * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(GError) local_error = NULL;

      frame = read_frame (self, (guint) MAX (left, 0), cancellable, &local_error);
      if (frame == NULL)
        {
          if (!g_error_matches (local_error, FS_ERROR, FS_ERROR_TIMED_OUT))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_set_error (error, FS_ERROR, FS_ERROR_TIMED_OUT,
                       _("The stub did not greet within a second; carrying on with the ROM "
                         "loader"));
          return FALSE;
        }
      if (g_bytes_get_size (frame) == 4 && memcmp (g_bytes_get_data (frame, NULL), "OHAI", 4) == 0)
        return TRUE;
    }
}

gboolean
fs_loader_run_stub (FsLoader      *self,
                    GBytes        *stub_json,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *node;
  guint32 mem_end[2];
  guint32 entry = 0, text_start = 0, data_start = 0;

  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);
  g_return_val_if_fail (stub_json != NULL, FALSE);

  if (self->stub)
    return TRUE;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (stub_json, NULL),
                                   g_bytes_get_size (stub_json), &local_error))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The stub is not valid JSON: %s"), local_error->message);
      return FALSE;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA, _("The stub’s “$” is not an object"));
      return FALSE;
    }
  root = json_node_get_object (node);
  if (!json_object_has_member (root, "entry") || !json_object_has_member (root, "text") ||
      !json_object_has_member (root, "text_start"))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The stub lacks “$.entry”, “$.text” or “$.text_start”"));
      return FALSE;
    }
  text = stub_segment (root, "text", error);
  if (text == NULL)
    return FALSE;
  data = stub_segment (root, "data", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!stub_address (root, "entry", &entry, error) ||
      !stub_address (root, "text_start", &text_start, error) ||
      (data != NULL && !stub_address (root, "data_start", &data_start, error)))
    return FALSE;

  if (!upload_segment (self, text, text_start, cancellable, error) ||
      (data != NULL && !upload_segment (self, data, data_start, cancellable, error)))
    return FALSE;
  mem_end[0] = 0;
  mem_end[1] = entry;
  if (!check_words_ok (self, FS_OP_MEM_END, mem_end, G_N_ELEMENTS (mem_end),
                       DEFAULT_TIMEOUT_MS, cancellable, error))
    return FALSE;
  if (!wait_greeting (self, cancellable, &local_error))
    {
      /* The chip sits in a stub that will not talk: back to the ROM */
      if (g_error_matches (local_error, FS_ERROR, FS_ERROR_TIMED_OUT) &&
          !fs_loader_connect (self, FS_BEFORE_DEFAULT_RESET, cancellable, error))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->stub = TRUE;
  return TRUE;
}

gboolean
fs_loader_reset_after (FsLoader  *self,
                       FsAfter    after,
                       GError   **error)
{
  g_return_val_if_fail (FS_IS_LOADER (self), FALSE);

  if (after == FS_AFTER_NO_RESET)
    return TRUE;
  self->stub = FALSE;
  return hard_reset (self, error);
}
