/* fs-sim-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ROM side follows what the ESP32 ROM was measured to answer
 * (../shared/notes/esp32-rom-answers.md); the stub side follows esptool's
 * flasher stub (flasher_stub/stub_flasher.c, stub_commands.c,
 * stub_write_flash.c), whose status bytes are the error code then 0, and
 * which answers 1 where it ORs a length check with the operation.
 */
#include "config.h"

#include <string.h>
#include <zlib.h>
#include <glib/gi18n-lib.h>

#include "fs-flash.h"
#include "fs-packet.h"
#include "fs-sim-loader.h"

#define ROM_SYNC_VALUE        0x20120707u   /* the ROM echoes the first SYNC word */
#define SYNC_DATA_SIZE        36
#define SYNC_REPLIES          8
#define ROM_MAX_FLASH_BLOCK   0x400
#define ROM_MAX_MEM_BLOCK     0x1800
#define ROM_READ_SLOW_SIZE    64
#define STUB_MAX_WRITE_BLOCK  0x4000
#define STUB_MAX_READ_BLOCK   FS_FLASH_SECTOR_SIZE
#define INFLATE_WINDOW        (32 * 1024)   /* the ROM's inflate output buffer */
#define OHAI                  "OHAI"

/* The ROM answers status 1 and one of these */
enum {
  ROM_ERR_INVALID   = 0x05,
  ROM_ERR_FAILED    = 0x06,
  ROM_ERR_CHECKSUM  = 0x07,
  ROM_ERR_WRITE     = 0x08,
  ROM_ERR_READ      = 0x09,
  ROM_ERR_READ_LEN  = 0x0A,
  ROM_ERR_DEFLATE   = 0x0B,
  ROM_ERR_RAM_SIZE  = 0x0E,
};

/* The stub answers one of these, then 0 */
enum {
  STUB_FAILED            = 0x01,
  STUB_BAD_DATA_LEN      = 0xC0,
  STUB_BAD_CHECKSUM      = 0xC1,
  STUB_BAD_BLOCKSIZE     = 0xC2,
  STUB_FAILED_SPI_OP     = 0xC4,
  STUB_NOT_IN_FLASH_MODE = 0xC6,
  STUB_INFLATE_ERROR     = 0xC7,
  STUB_NOT_ENOUGH_DATA   = 0xC8,
  STUB_TOO_MUCH_DATA     = 0xC9,
  STUB_NOT_IMPLEMENTED   = 0xFF,
};
/* What the stub sends after 0xC0 when a frame overflows its buffer */
#define STUB_OVERSIZE_MARK    0xEE

/* A flash write between FLASH_BEGIN (or FLASH_DEFL_BEGIN) and its end */
typedef struct {
  gboolean  deflate;
  guint32   start;
  guint32   next;          /* where the next byte goes */
  guint32   remaining;     /* stub: bytes still expected */
  guint64   erased_to;     /* stub: it erases as it writes, up to erase_end */
  guint64   erase_end;
  guint8    error;         /* stub: an earlier block's error, told with the next */
  z_stream  zs;
  gboolean  stream_end;
  guint64   inflated;
} FlashWrite;

/* A stub READ_FLASH waiting for the host's acks */
typedef struct {
  guint32    address;
  guint32    len;
  guint32    block;
  guint32    max_in_flight;
  guint32    sent;
  GChecksum *md5;
} FlashRead;

typedef struct {
  guint32     address;
  guint32     size;
  GByteArray *data;
} MemSegment;

struct _FsSimLoader
{
  GObject          parent_instance;

  FsSimChip       *chip;
  FsSimFlash      *flash;
  FsSimLoaderMode  mode;
  gboolean         spill;
  gboolean         stub_hangs;
  gboolean         silent;        /* crashed, hung or left: answers nothing until reset */
  guint8           last_opcode;   /* the ROM's stale response header */
  guint32          last_value;
  FlashWrite      *write;
  FlashRead       *read;
  GPtrArray       *segments;      /* of MemSegment, uploaded to RAM */
  MemSegment      *segment;       /* the one MEM_DATA fills */
  guint8          *window;        /* the ROM's inflate buffer: its RAM survives resets */
};

G_DEFINE_FINAL_TYPE (FsSimLoader, fs_sim_loader, G_TYPE_OBJECT)

/* One command, as the handlers see it */
typedef struct {
  guint8              opcode;
  guint32             checksum;
  const guint8       *data;
  gsize               len;
  GPtrArray          *replies;
  FsSimLoaderEffects *effects;
} Frame;

static guint32
get_u32 (const guint8 *in)
{
  return (guint32) in[0] | ((guint32) in[1] << 8) | ((guint32) in[2] << 16) | ((guint32) in[3] << 24);
}

/* Word @i of the command's data; callers check the length first */
static guint32
word (const Frame *f,
      guint        i)
{
  g_assert (f->len >= 4 * (i + 1));
  return get_u32 (f->data + 4 * i);
}

static void
flash_write_free (FlashWrite *write)
{
  if (write == NULL)
    return;
  inflateEnd (&write->zs);
  g_free (write);
}

static void
flash_read_free (FlashRead *read)
{
  if (read == NULL)
    return;
  g_checksum_free (read->md5);
  g_free (read);
}

static void
mem_segment_free (gpointer data)
{
  MemSegment *segment = data;

  g_byte_array_unref (segment->data);
  g_free (segment);
}

static void
fs_sim_loader_finalize (GObject *object)
{
  FsSimLoader *self = FS_SIM_LOADER (object);

  flash_write_free (self->write);
  flash_read_free (self->read);
  g_ptr_array_unref (self->segments);
  g_free (self->window);
  g_clear_object (&self->chip);
  g_clear_object (&self->flash);

  G_OBJECT_CLASS (fs_sim_loader_parent_class)->finalize (object);
}

static void
fs_sim_loader_class_init (FsSimLoaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_sim_loader_finalize;
}

static void
fs_sim_loader_init (FsSimLoader *self)
{
  self->segments = g_ptr_array_new_with_free_func (mem_segment_free);
  self->window = g_malloc0 (INFLATE_WINDOW);
}

FsSimLoader *
fs_sim_loader_new (FsSimChip  *chip,
                   FsSimFlash *flash)
{
  FsSimLoader *self;

  g_return_val_if_fail (FS_IS_SIM_CHIP (chip), NULL);
  g_return_val_if_fail (FS_IS_SIM_FLASH (flash), NULL);

  self = g_object_new (FS_TYPE_SIM_LOADER, NULL);
  self->chip = g_object_ref (chip);
  self->flash = g_object_ref (flash);
  return self;
}

/* What the loader is doing is lost; the uploaded RAM too */
static void
forget_state (FsSimLoader *self)
{
  g_clear_pointer (&self->write, flash_write_free);
  g_clear_pointer (&self->read, flash_read_free);
  g_ptr_array_set_size (self->segments, 0);
  self->segment = NULL;
}

void
fs_sim_loader_reset (FsSimLoader *self)
{
  g_return_if_fail (FS_IS_SIM_LOADER (self));

  forget_state (self);
  self->mode = FS_SIM_LOADER_ROM;
  self->silent = FALSE;
  self->last_opcode = 0;
  self->last_value = 0;
}

FsSimLoaderMode
fs_sim_loader_get_mode (FsSimLoader *self)
{
  g_return_val_if_fail (FS_IS_SIM_LOADER (self), FS_SIM_LOADER_ROM);
  return self->mode;
}

void
fs_sim_loader_set_compressed_spill (FsSimLoader *self,
                                    gboolean     spill)
{
  g_return_if_fail (FS_IS_SIM_LOADER (self));
  self->spill = spill;
}

void
fs_sim_loader_set_stub_hangs (FsSimLoader *self,
                              gboolean     hangs)
{
  g_return_if_fail (FS_IS_SIM_LOADER (self));
  self->stub_hangs = hangs;
}

static void
add_raw (Frame        *f,
         const guint8 *data,
         gsize         len)
{
  g_ptr_array_add (f->replies, g_bytes_new (data, len));
}

/* A response with @error 0 for success: the ROM's four status bytes
 * (1, @error, 0, 0), or the stub's two (@error, 0) */
static void
reply_data (FsSimLoader  *self,
            Frame        *f,
            guint32       value,
            const guint8 *data,
            gsize         len,
            guint8        error)
{
  if (self->mode == FS_SIM_LOADER_ROM)
    {
      g_ptr_array_add (f->replies, fs_packet_response_new (f->opcode, value, data, len,
                                                           error != 0, error, FS_STATUS_LEN_ROM));
      self->last_opcode = f->opcode;
      self->last_value = value;
    }
  else
    {
      g_ptr_array_add (f->replies, fs_packet_response_new (f->opcode, value, data, len,
                                                           error, 0, FS_STATUS_LEN_STUB));
    }
}

static void
reply (FsSimLoader *self,
       Frame       *f,
       guint8       error)
{
  reply_data (self, f, 0, NULL, 0, error);
}

static gboolean
in_flash (FsSimLoader *self,
          guint64      offset,
          guint64      len)
{
  guint64 size = fs_sim_flash_get_size (self->flash);

  return offset <= size && len <= size - offset;
}

static guint64
align_up (guint64 value)
{
  return (value + FS_FLASH_SECTOR_SIZE - 1) / FS_FLASH_SECTOR_SIZE * FS_FLASH_SECTOR_SIZE;
}

static guint64
align_down (guint64 value)
{
  return value / FS_FLASH_SECTOR_SIZE * FS_FLASH_SECTOR_SIZE;
}

/* Erases whole sectors over [@start, @end), which lies in the flash */
static void
erase (FsSimLoader *self,
       Frame       *f,
       guint64      start,
       guint64      end)
{
  g_autoptr(GError) error = NULL;

  if (end <= start)
    return;
  if (!fs_sim_flash_erase (self->flash, start, end - start, &error))
    g_critical ("%s", error->message);
  f->effects->busy_us += fs_sim_flash_erase_cost (self->flash, start, end - start);
}

/* Programs @len bytes at @offset, which lie in the flash */
static void
program (FsSimLoader  *self,
         Frame        *f,
         guint32       offset,
         const guint8 *data,
         gsize         len)
{
  g_autoptr(GError) error = NULL;

  if (!fs_sim_flash_program (self->flash, offset, data, len, &error))
    g_critical ("%s", error->message);
  f->effects->busy_us += fs_sim_flash_program_cost (self->flash, len);
  f->effects->flash_written += len;
}

static FlashWrite *
flash_write_new (gboolean deflate,
                 guint32  offset,
                 guint32  size)
{
  FlashWrite *write = g_new0 (FlashWrite, 1);

  write->deflate = deflate;
  write->start = offset;
  write->next = offset;
  write->remaining = size;
  write->erased_to = align_down (offset);
  write->erase_end = align_up ((guint64) offset + size);
  if (inflateInit (&write->zs) != Z_OK)
    g_error ("zlib could not allocate an inflate stream");
  return write;
}

/* Writes decoded bytes at the write position: the ROM erased the region
 * up front and writes what it gets; the stub trims to the announced size
 * and erases just ahead of its writes. FALSE outside the flash. */
static gboolean
write_out (FsSimLoader  *self,
           Frame        *f,
           const guint8 *data,
           gsize         len)
{
  FlashWrite *write = self->write;

  if (self->mode == FS_SIM_LOADER_STUB)
    {
      len = MIN (len, write->remaining);
      if (len == 0)
        return TRUE;
    }
  if (!in_flash (self, write->next, len))
    return FALSE;
  if (self->mode == FS_SIM_LOADER_STUB)
    {
      guint64 needed = MIN (align_up ((guint64) write->next + len), write->erase_end);

      /* As esptool's stub does: a whole 64 KiB block at once where one
       * starts and the region covers it, else a sector */
      while (write->erased_to < needed)
        {
          guint64 step = write->erased_to % FS_FLASH_BLOCK_SIZE == 0 &&
                         write->erase_end - write->erased_to >= FS_FLASH_BLOCK_SIZE ?
                         FS_FLASH_BLOCK_SIZE : FS_FLASH_SECTOR_SIZE;

          erase (self, f, write->erased_to, write->erased_to + step);
          write->erased_to += step;
        }
      write->remaining -= len;
    }
  else if (write->deflate)
    {
      for (gsize i = 0; i < len; i++)
        self->window[(write->inflated + i) % INFLATE_WINDOW] = data[i];
    }
  program (self, f, write->next, data, len);
  write->next += len;
  return TRUE;
}

/* The ROM flushes its whole 32 KiB inflate buffer at the end of a
 * compressed write, so the flash after the region up to the next 32 KiB
 * of written data gets the stale rest of the buffer ANDed in (a full
 * buffer when the data fills its last one): see
 * ../shared/notes/rom-compressed-write-spill.md */
static void
spill_window (FsSimLoader *self,
              Frame       *f)
{
  FlashWrite *write = self->write;
  guint64 window_start = write->start + write->inflated / INFLATE_WINDOW * INFLATE_WINDOW;
  guint32 from = write->inflated % INFLATE_WINDOW;
  guint64 size = fs_sim_flash_get_size (self->flash);
  guint64 address = window_start + from;
  gsize len;

  if (address >= size)
    return;
  len = MIN (INFLATE_WINDOW - from, size - address);
  program (self, f, address, self->window + from, len);
}

typedef enum {
  INFLATE_OK,
  INFLATE_BAD_DATA,
  INFLATE_OUTSIDE_FLASH,
} InflateResult;

static InflateResult
inflate_block (FsSimLoader  *self,
               Frame        *f,
               const guint8 *data,
               gsize         len)
{
  FlashWrite *write = self->write;
  guint8 out[4096];

  write->zs.next_in = (Bytef *) data;
  write->zs.avail_in = len;
  while (!write->stream_end)
    {
      gsize produced;
      int ret;

      write->zs.next_out = out;
      write->zs.avail_out = sizeof out;
      ret = inflate (&write->zs, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
        return INFLATE_BAD_DATA;
      produced = sizeof out - write->zs.avail_out;
      if (produced > 0 && !write_out (self, f, out, produced))
        return INFLATE_OUTSIDE_FLASH;
      write->inflated += produced;
      if (ret == Z_STREAM_END)
        write->stream_end = TRUE;
      else if (ret == Z_BUF_ERROR || write->zs.avail_out != 0)
        break;
    }
  return INFLATE_OK;
}

/* The checks of FLASH_DATA, FLASH_DEFL_DATA and MEM_DATA: the block's
 * own length word and its checksum. Returns the payload or NULL. */
static const guint8 *
data_payload (const Frame *f,
              gsize       *len)
{
  if (f->len < FS_PACKET_DATA_HEADER_SIZE)
    return NULL;
  *len = f->len - FS_PACKET_DATA_HEADER_SIZE;
  if (word (f, 0) != *len)
    return NULL;
  return f->data + FS_PACKET_DATA_HEADER_SIZE;
}

static gboolean
checksum_ok (const Frame  *f,
             const guint8 *payload,
             gsize         len)
{
  return f->checksum == fs_packet_checksum (payload, len);
}

static gboolean
sync_pattern_ok (const Frame *f)
{
  static const guint8 head[] = { 0x07, 0x07, 0x12, 0x20 };

  if (f->len != SYNC_DATA_SIZE || memcmp (f->data, head, sizeof head) != 0)
    return FALSE;
  for (gsize i = sizeof head; i < f->len; i++)
    if (f->data[i] != 0x55)
      return FALSE;
  return TRUE;
}

/* Both loaders answer SYNC eight times; the ROM with a value, the stub
 * with 0, which is how esptool tells them apart */
static void
handle_sync (FsSimLoader *self,
             Frame       *f)
{
  gboolean rom = self->mode == FS_SIM_LOADER_ROM;

  if (rom && !sync_pattern_ok (f))
    return;
  if (!rom && f->len != SYNC_DATA_SIZE)
    {
      reply (self, f, STUB_BAD_DATA_LEN);
      return;
    }
  for (guint i = 0; i < SYNC_REPLIES; i++)
    reply_data (self, f, rom ? ROM_SYNC_VALUE : 0, NULL, 0, 0);
}

static guint8
fail_code (FsSimLoader *self,
           guint8       rom_code,
           guint8       stub_code)
{
  return self->mode == FS_SIM_LOADER_ROM ? rom_code : stub_code;
}

static void
handle_read_reg (FsSimLoader *self,
                 Frame       *f)
{
  if (f->len != 4)
    {
      reply (self, f, fail_code (self, ROM_ERR_INVALID, STUB_BAD_DATA_LEN));
      return;
    }
  reply_data (self, f, fs_sim_chip_read_reg (self->chip, word (f, 0)), NULL, 0, 0);
}

/* Any number of (address, value, mask, delay) groups */
static void
handle_write_reg (FsSimLoader *self,
                  Frame       *f)
{
  if (f->len % 16 != 0 || (self->mode == FS_SIM_LOADER_ROM && f->len == 0))
    {
      reply (self, f, fail_code (self, ROM_ERR_INVALID, STUB_BAD_DATA_LEN));
      return;
    }
  for (guint i = 0; i < f->len / 16; i++)
    {
      f->effects->busy_us += word (f, 4 * i + 3);
      fs_sim_chip_write_reg (self->chip, word (f, 4 * i), word (f, 4 * i + 1), word (f, 4 * i + 2));
    }
  reply (self, f, 0);
}

static void
handle_length_only (FsSimLoader *self,
                    Frame       *f,
                    gboolean     length_ok)
{
  reply (self, f, length_ok ? 0 : fail_code (self, ROM_ERR_INVALID, STUB_FAILED));
}

/* The ROM erases the region up front; the stub as it goes */
static void
handle_flash_begin (FsSimLoader *self,
                    Frame       *f,
                    gboolean     deflate)
{
  gboolean rom = self->mode == FS_SIM_LOADER_ROM;
  guint32 size, offset;

  if (!rom && f->len >= 16 && word (f, 2) > STUB_MAX_WRITE_BLOCK)
    {
      reply (self, f, STUB_BAD_BLOCKSIZE);
      return;
    }
  if (f->len != 16 && f->len != 20)
    {
      reply (self, f, fail_code (self, ROM_ERR_INVALID, STUB_FAILED));
      return;
    }
  size = word (f, 0);
  offset = word (f, 3);
  g_clear_pointer (&self->write, flash_write_free);
  if (rom)
    {
      if (!in_flash (self, offset, size))
        {
          reply (self, f, ROM_ERR_FAILED);
          return;
        }
      if (size > 0)
        erase (self, f, align_down (offset), align_up ((guint64) offset + size));
    }
  self->write = flash_write_new (deflate, offset, size);
  reply (self, f, 0);
}

/* A rejected block ends the ROM's write: resending it was rejected too */
static void
rom_reject_block (FsSimLoader *self,
                  Frame       *f,
                  guint8       error)
{
  g_clear_pointer (&self->write, flash_write_free);
  reply (self, f, error);
}

static void
rom_flash_data (FsSimLoader *self,
                Frame       *f,
                gboolean     deflate)
{
  const guint8 *payload;
  gsize len = 0;

  if (self->write == NULL || self->write->deflate != deflate)
    {
      reply (self, f, ROM_ERR_INVALID);
      return;
    }
  payload = data_payload (f, &len);
  if (payload == NULL || len > ROM_MAX_FLASH_BLOCK)
    {
      rom_reject_block (self, f, ROM_ERR_INVALID);
      return;
    }
  if (!checksum_ok (f, payload, len))
    {
      rom_reject_block (self, f, ROM_ERR_CHECKSUM);
      return;
    }
  if (!deflate)
    {
      if (!write_out (self, f, payload, len))
        rom_reject_block (self, f, ROM_ERR_WRITE);
      else
        reply (self, f, 0);
      return;
    }
  switch (inflate_block (self, f, payload, len))
    {
    case INFLATE_BAD_DATA:
      rom_reject_block (self, f, ROM_ERR_DEFLATE);
      return;
    case INFLATE_OUTSIDE_FLASH:
      rom_reject_block (self, f, ROM_ERR_WRITE);
      return;
    case INFLATE_OK:
    default:
      break;
    }
  /* esptool does not send FLASH_DEFL_END to the ROM: the flush happens
   * when the stream ends */
  if (self->write->stream_end && self->spill && self->write->inflated > 0)
    {
      spill_window (self, f);
      self->write->inflated = 0;
    }
  reply (self, f, 0);
}

/* The stub acknowledges a block before writing it, so a failure shows in
 * the answer to the next block or to FLASH_END */
static void
stub_flash_data (FsSimLoader *self,
                 Frame       *f)
{
  FlashWrite *write = self->write;
  const guint8 *payload;
  guint8 error;
  gsize len = 0;

  if (write == NULL)
    {
      reply (self, f, STUB_NOT_IN_FLASH_MODE);
      return;
    }
  error = write->error;
  payload = data_payload (f, &len);
  if (payload == NULL)
    error = STUB_BAD_DATA_LEN;
  else if (!checksum_ok (f, payload, len))
    error = STUB_BAD_CHECKSUM;
  reply (self, f, error);
  if (error != 0)
    return;

  if (f->opcode == FS_OP_FLASH_DATA)
    {
      if (!write_out (self, f, payload, len))
        write->error = STUB_FAILED_SPI_OP;
      return;
    }
  switch (inflate_block (self, f, payload, len))
    {
    case INFLATE_BAD_DATA:
      write->error = STUB_INFLATE_ERROR;
      return;
    case INFLATE_OUTSIDE_FLASH:
      write->error = STUB_FAILED_SPI_OP;
      return;
    case INFLATE_OK:
    default:
      break;
    }
  if (write->stream_end && write->remaining > 0)
    write->error = STUB_NOT_ENOUGH_DATA;
  else if (!write->stream_end && write->remaining == 0)
    write->error = STUB_TOO_MUCH_DATA;
}

/* The chip leaves the loader and runs the application from flash */
static void
run_user_code (FsSimLoader *self,
               Frame       *f)
{
  forget_state (self);
  self->silent = TRUE;
  f->effects->run_user_code = TRUE;
}

static void
handle_flash_end (FsSimLoader *self,
                  Frame       *f)
{
  gboolean stay = f->len < 4 || word (f, 0) != 0;

  if (self->mode == FS_SIM_LOADER_ROM)
    {
      if (f->len != 4)
        {
          reply (self, f, ROM_ERR_INVALID);
          return;
        }
      g_clear_pointer (&self->write, flash_write_free);
      reply (self, f, 0);
    }
  else
    {
      guint8 error;

      if (self->write == NULL)
        error = STUB_NOT_IN_FLASH_MODE;
      else if (self->write->remaining > 0)
        error = STUB_NOT_ENOUGH_DATA;
      else
        error = self->write->error;
      if (error != STUB_NOT_ENOUGH_DATA)
        g_clear_pointer (&self->write, flash_write_free);
      reply (self, f, error);
      if (error != 0)
        return;
    }
  if (!stay)
    run_user_code (self, f);
}

static void
handle_mem_begin (FsSimLoader *self,
                  Frame       *f)
{
  MemSegment *segment;

  if (f->len != 16)
    {
      reply (self, f, fail_code (self, ROM_ERR_INVALID, STUB_FAILED));
      return;
    }
  segment = g_new0 (MemSegment, 1);
  segment->size = word (f, 0);
  segment->address = word (f, 3);
  segment->data = g_byte_array_new ();
  g_ptr_array_add (self->segments, segment);
  self->segment = segment;
  reply (self, f, 0);
}

static guint8
mem_data_error (FsSimLoader  *self,
                Frame        *f,
                const guint8 *payload,
                gsize         len)
{
  gboolean rom = self->mode == FS_SIM_LOADER_ROM;

  /* The stub takes the payload length from the frame and skips the checksum */
  if (!rom && f->len >= FS_PACKET_DATA_HEADER_SIZE)
    {
      payload = f->data + FS_PACKET_DATA_HEADER_SIZE;
      len = f->len - FS_PACKET_DATA_HEADER_SIZE;
    }
  if (self->segment == NULL)
    return fail_code (self, ROM_ERR_INVALID, STUB_NOT_IN_FLASH_MODE);
  if (payload == NULL || (rom && len > ROM_MAX_MEM_BLOCK))
    return fail_code (self, ROM_ERR_INVALID, STUB_BAD_DATA_LEN);
  if (rom && !checksum_ok (f, payload, len))
    return ROM_ERR_CHECKSUM;
  if (len > self->segment->size - self->segment->data->len)
    return fail_code (self, ROM_ERR_RAM_SIZE, STUB_TOO_MUCH_DATA);
  if (!rom && len % 4 != 0)
    return STUB_BAD_DATA_LEN;
  g_byte_array_append (self->segment->data, payload, len);
  return 0;
}

static void
handle_mem_data (FsSimLoader *self,
                 Frame       *f)
{
  gsize len = 0;
  const guint8 *payload = data_payload (f, &len);

  reply (self, f, mem_data_error (self, f, payload, len));
}

static gboolean
in_uploaded_code (FsSimLoader *self,
                  guint32      entry)
{
  for (guint i = 0; i < self->segments->len; i++)
    {
      MemSegment *segment = g_ptr_array_index (self->segments, i);

      if (entry >= segment->address && entry - segment->address < segment->data->len)
        return TRUE;
    }
  return FALSE;
}

/* Whatever was uploaded is taken to be a flasher stub: it greets with
 * "OHAI", unless it hangs. A jump outside the uploaded code crashes. */
static void
run_uploaded_code (FsSimLoader *self,
                   Frame       *f,
                   guint32      entry)
{
  if (!in_uploaded_code (self, entry) || self->stub_hangs)
    {
      forget_state (self);
      self->silent = TRUE;
      return;
    }
  g_clear_pointer (&self->write, flash_write_free);
  g_clear_pointer (&self->read, flash_read_free);
  self->segment = NULL;
  self->mode = FS_SIM_LOADER_STUB;
  add_raw (f, (const guint8 *) OHAI, strlen (OHAI));
}

static void
handle_mem_end (FsSimLoader *self,
                Frame       *f)
{
  gboolean rom = self->mode == FS_SIM_LOADER_ROM;
  gboolean jump;
  guint8 error = 0;

  if (f->len != 8)
    error = fail_code (self, ROM_ERR_INVALID, STUB_FAILED);
  else if (!rom && self->segment != NULL && self->segment->data->len < self->segment->size)
    error = STUB_FAILED;
  if (!rom)
    self->segment = NULL;
  reply (self, f, error);
  if (error != 0)
    return;
  /* The ROM runs the entry point when the first word is 0, the stub
   * whenever the entry point is not 0 */
  jump = rom ? word (f, 0) == 0 : word (f, 1) != 0;
  if (jump)
    run_uploaded_code (self, f, word (f, 1));
}

/* The ROM sends the digest as 32 lowercase hex characters, the stub as
 * 16 raw bytes */
static void
handle_md5 (FsSimLoader *self,
            Frame       *f)
{
  g_autoptr(GChecksum) md5 = NULL;
  guint8 digest[16];
  gsize digest_len = sizeof digest;
  guint32 offset, len;

  if (f->len != 16)
    {
      reply (self, f, fail_code (self, ROM_ERR_INVALID, STUB_FAILED));
      return;
    }
  offset = word (f, 0);
  len = word (f, 1);
  if (!in_flash (self, offset, len))
    {
      reply (self, f, fail_code (self, ROM_ERR_READ, STUB_FAILED));
      return;
    }
  md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_checksum_update (md5, fs_sim_flash_get_data (self->flash) + offset, len);
  if (self->mode == FS_SIM_LOADER_ROM)
    {
      const char *hex = g_checksum_get_string (md5);
      reply_data (self, f, 0, (const guint8 *) hex, strlen (hex), 0);
      return;
    }
  g_checksum_get_digest (md5, digest, &digest_len);
  reply_data (self, f, 0, digest, digest_len, 0);
}

/* The ROM takes the first word as the new baud. The stub scales the
 * divider it runs with by the second word (the baud the host believes it
 * talks at) over the first, so a wrong second word gives a wrong rate,
 * and a zero one a divider that leaves it deaf. */
static void
handle_change_baudrate (FsSimLoader *self,
                        Frame       *f)
{
  gboolean rom = self->mode == FS_SIM_LOADER_ROM;
  guint64 baud;

  if (f->len != 8 || (rom && word (f, 0) == 0))
    {
      reply (self, f, fail_code (self, ROM_ERR_INVALID, STUB_BAD_DATA_LEN));
      return;
    }
  reply (self, f, 0);
  if (rom)
    baud = word (f, 0);
  else if (word (f, 0) == 0 || word (f, 1) == 0)
    baud = 0;
  else
    baud = (guint64) word (f, 0) * fs_sim_chip_get_baud (self->chip) / word (f, 1);
  if (baud == 0 || baud > G_MAXUINT)
    {
      forget_state (self);
      self->silent = TRUE;
      return;
    }
  f->effects->new_baud = baud;
  fs_sim_chip_set_baud (self->chip, baud);
}

/* Always a 64-byte buffer, whatever the length asked */
static void
rom_read_flash_slow (FsSimLoader *self,
                     Frame       *f)
{
  guint8 buffer[ROM_READ_SLOW_SIZE] = { 0 };
  guint32 offset, len;

  if (f->len != 8)
    {
      reply (self, f, ROM_ERR_INVALID);
      return;
    }
  offset = word (f, 0);
  len = word (f, 1);
  if (len > ROM_READ_SLOW_SIZE)
    {
      reply (self, f, ROM_ERR_READ_LEN);
      return;
    }
  if (!in_flash (self, offset, len))
    {
      reply (self, f, ROM_ERR_READ);
      return;
    }
  memcpy (buffer, fs_sim_flash_get_data (self->flash) + offset, len);
  reply_data (self, f, 0, buffer, sizeof buffer, 0);
}

/* The ROM answers what it does not know with error 5 in a header it does
 * not update: the opcode and value of its last answer. After SYNC that
 * header also goes out eight times, which esptool drains. */
static void
rom_unknown (FsSimLoader *self,
             Frame       *f)
{
  guint count = self->last_opcode == FS_OP_SYNC ? SYNC_REPLIES : 1;

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (f->replies, fs_packet_response_new (self->last_opcode, self->last_value,
                                                         NULL, 0, 1, ROM_ERR_INVALID,
                                                         FS_STATUS_LEN_ROM));
}

/* What the ROM and the stub answer alike; FALSE for the rest */
static gboolean
handle_common (FsSimLoader *self,
               Frame       *f)
{
  switch (f->opcode)
    {
    case FS_OP_SYNC:
      handle_sync (self, f);
      break;
    case FS_OP_READ_REG:
      handle_read_reg (self, f);
      break;
    case FS_OP_WRITE_REG:
      handle_write_reg (self, f);
      break;
    case FS_OP_SPI_SET_PARAMS:
      handle_length_only (self, f, f->len == 24);
      break;
    case FS_OP_SPI_ATTACH:
      handle_length_only (self, f, f->len == 4 || f->len == 8);
      break;
    case FS_OP_FLASH_BEGIN:
    case FS_OP_FLASH_DEFL_BEGIN:
      handle_flash_begin (self, f, f->opcode == FS_OP_FLASH_DEFL_BEGIN);
      break;
    case FS_OP_FLASH_END:
    case FS_OP_FLASH_DEFL_END:
      handle_flash_end (self, f);
      break;
    case FS_OP_MEM_BEGIN:
      handle_mem_begin (self, f);
      break;
    case FS_OP_MEM_DATA:
      handle_mem_data (self, f);
      break;
    case FS_OP_MEM_END:
      handle_mem_end (self, f);
      break;
    case FS_OP_SPI_FLASH_MD5:
      handle_md5 (self, f);
      break;
    case FS_OP_CHANGE_BAUDRATE:
      handle_change_baudrate (self, f);
      break;
    default:
      return FALSE;
    }
  return TRUE;
}

static void
handle_rom (FsSimLoader *self,
            Frame       *f)
{
  if (handle_common (self, f))
    return;
  switch (f->opcode)
    {
    case FS_OP_FLASH_DATA:
    case FS_OP_FLASH_DEFL_DATA:
      rom_flash_data (self, f, f->opcode == FS_OP_FLASH_DEFL_DATA);
      break;
    case FS_OP_READ_FLASH_SLOW:
      rom_read_flash_slow (self, f);
      break;
    default:
      rom_unknown (self, f);
      break;
    }
}

static void
stub_erase (FsSimLoader *self,
            Frame       *f,
            guint64      offset,
            guint64      len)
{
  if (offset % FS_FLASH_SECTOR_SIZE != 0 || len % FS_FLASH_SECTOR_SIZE != 0 ||
      !in_flash (self, offset, len))
    {
      reply (self, f, STUB_FAILED);
      return;
    }
  erase (self, f, offset, offset + len);
  reply (self, f, 0);
}

/* Sends blocks while fewer than max_in_flight bytes are unacknowledged.
 * A block the flash cannot give stops the sending, as a failed SPIRead
 * does in the stub; the host then waits in vain. */
static void
read_pump (FsSimLoader *self,
           Frame       *f,
           guint32      acked)
{
  FlashRead *read = self->read;

  while (read->sent < read->len && read->sent - acked < read->max_in_flight)
    {
      guint32 n = MIN (read->block, read->len - read->sent);
      const guint8 *data;

      if (!in_flash (self, read->address, n))
        break;
      data = fs_sim_flash_get_data (self->flash) + read->address;
      add_raw (f, data, n);
      g_checksum_update (read->md5, data, n);
      read->address += n;
      read->sent += n;
    }
}

static void
read_finish (FsSimLoader *self,
             Frame       *f)
{
  guint8 digest[16];
  gsize digest_len = sizeof digest;

  g_checksum_get_digest (self->read->md5, digest, &digest_len);
  add_raw (f, digest, digest_len);
  g_clear_pointer (&self->read, flash_read_free);
}

static void
stub_read_flash (FsSimLoader *self,
                 Frame       *f)
{
  FlashRead *read;

  if (f->len != 16)
    {
      reply (self, f, STUB_BAD_DATA_LEN);
      return;
    }
  reply (self, f, 0);

  read = g_new0 (FlashRead, 1);
  read->address = word (f, 0);
  read->len = word (f, 1);
  read->block = word (f, 2);
  read->max_in_flight = word (f, 3);
  read->md5 = g_checksum_new (G_CHECKSUM_MD5);
  self->read = read;
  /* The stub masks its receive interrupt before checking the block size
   * and returns without unmasking it; a zero block size makes it send
   * empty frames for ever */
  if (read->block > STUB_MAX_READ_BLOCK ||
      (read->block == 0 && read->len > 0 && read->max_in_flight > 0))
    {
      forget_state (self);
      self->silent = TRUE;
      return;
    }
  if (read->len == 0)
    {
      read_finish (self, f);
      return;
    }
  read_pump (self, f, 0);
}

/* During READ_FLASH every frame from the host is an ack: the number of
 * bytes it has received. Anything else ends the read. */
static void
stub_read_ack (FsSimLoader  *self,
               const guint8 *frame,
               gsize         len,
               Frame        *f)
{
  guint32 acked;

  if (len != 4)
    {
      read_finish (self, f);
      return;
    }
  acked = get_u32 (frame);
  if (acked < self->read->len && acked <= self->read->sent)
    read_pump (self, f, acked);
  else
    read_finish (self, f);
}

static void
handle_stub (FsSimLoader *self,
             Frame       *f)
{
  if (f->len > STUB_MAX_WRITE_BLOCK + FS_PACKET_DATA_HEADER_SIZE)
    {
      g_ptr_array_add (f->replies, fs_packet_response_new (f->opcode, 0, NULL, 0,
                                                           STUB_BAD_DATA_LEN, STUB_OVERSIZE_MARK,
                                                           FS_STATUS_LEN_STUB));
      return;
    }
  if (handle_common (self, f))
    return;
  switch (f->opcode)
    {
    case FS_OP_FLASH_DATA:
    case FS_OP_FLASH_DEFL_DATA:
      stub_flash_data (self, f);
      break;
    case FS_OP_ERASE_FLASH:
      if (f->len != 0)
        reply (self, f, STUB_FAILED);
      else
        stub_erase (self, f, 0, fs_sim_flash_get_size (self->flash));
      break;
    case FS_OP_ERASE_REGION:
      if (f->len != 8)
        reply (self, f, STUB_FAILED);
      else
        stub_erase (self, f, word (f, 0), word (f, 1));
      break;
    case FS_OP_READ_FLASH:
      stub_read_flash (self, f);
      break;
    case FS_OP_RUN_USER_CODE:
      run_user_code (self, f);
      break;
    default:
      reply (self, f, STUB_NOT_IMPLEMENTED);
      break;
    }
}

void
fs_sim_loader_handle_frame (FsSimLoader        *self,
                            const guint8       *frame,
                            gsize               len,
                            GPtrArray          *replies,
                            FsSimLoaderEffects *effects)
{
  g_autoptr(FsCommand) command = NULL;
  Frame f = { 0 };

  g_return_if_fail (FS_IS_SIM_LOADER (self));
  g_return_if_fail (frame != NULL || len == 0);
  g_return_if_fail (replies != NULL);
  g_return_if_fail (effects != NULL);

  memset (effects, 0, sizeof *effects);
  f.replies = replies;
  f.effects = effects;
  if (self->silent)
    return;
  if (self->read != NULL)
    {
      stub_read_ack (self, frame, len, &f);
      return;
    }

  command = fs_command_parse (frame, len, NULL);
  if (command == NULL)
    {
      /* A command whose length field disagrees with its size */
      if (len >= FS_PACKET_HEADER_SIZE && frame[0] == FS_PACKET_DIRECTION_COMMAND)
        {
          f.opcode = frame[1];
          reply (self, &f, fail_code (self, ROM_ERR_INVALID, STUB_BAD_DATA_LEN));
        }
      return;
    }
  f.opcode = command->opcode;
  f.checksum = command->checksum;
  f.data = g_bytes_get_data (command->data, &f.len);
  if (self->mode == FS_SIM_LOADER_ROM)
    handle_rom (self, &f);
  else
    handle_stub (self, &f);
}
