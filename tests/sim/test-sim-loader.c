/* test-sim-loader.c: the virtual ESP32's ROM loader and flasher stub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected answers are written out as bytes from the measured ROM answers
 * (../shared/notes/esp32-rom-answers.md) and from esptool's flasher stub.
 */
#include <locale.h>
#include <string.h>
#include <zlib.h>
#include <glib/gstdio.h>

#include "fs-packet.h"
#include "fs-sim-loader.h"

#define MiB (1024u * 1024u)
#define KiB 1024u

static const guint8 test_mac[6] = { 0x24, 0x0A, 0xC4, 0x12, 0x34, 0x56 };

typedef struct {
  char        *dir;
  char        *path;
  FsSimFlash  *flash;
  FsSimChip   *chip;
  FsSimLoader *loader;
  GPtrArray   *replies;
  FsSimLoaderEffects effects;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  FsSimChipConfig config;

  fixture->dir = g_dir_make_tmp ("fs-sim-loader-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "flash.bin", NULL);
  fixture->flash = fs_sim_flash_new (fixture->path, 4 * MiB, &error);
  g_assert_no_error (error);
  fs_sim_chip_config_init_default (&config, test_mac);
  fixture->chip = fs_sim_chip_new (&config, fixture->flash);
  fixture->loader = fs_sim_loader_new (fixture->chip, fixture->flash);
  fixture->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_ptr_array_unref (fixture->replies);
  g_clear_object (&fixture->loader);
  g_clear_object (&fixture->chip);
  g_clear_object (&fixture->flash);
  g_remove (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Sends a frame; the replies are in fixture->replies */
static void
send_frame (Fixture      *fixture,
            const guint8 *frame,
            gsize         len)
{
  g_ptr_array_set_size (fixture->replies, 0);
  fs_sim_loader_handle_frame (fixture->loader, frame, len, fixture->replies, &fixture->effects);
}

static void
send_bytes (Fixture *fixture,
            GBytes  *packet)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (packet, &len);

  send_frame (fixture, data, len);
  g_bytes_unref (packet);
}

static void
send_words (Fixture       *fixture,
            guint8         opcode,
            const guint32 *words,
            guint          n_words)
{
  send_bytes (fixture, fs_packet_words_command_new (opcode, words, n_words));
}

static void
send_data (Fixture      *fixture,
           guint8        opcode,
           guint32       seq,
           const guint8 *payload,
           gsize         len)
{
  send_bytes (fixture, fs_packet_data_command_new (opcode, seq, payload, len));
}

static void
assert_reply (Fixture      *fixture,
              guint         index,
              const guint8 *expected,
              gsize         len)
{
  GBytes *reply;

  g_assert_cmpuint (index, <, fixture->replies->len);
  reply = g_ptr_array_index (fixture->replies, index);
  g_assert_cmpmem (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), expected, len);
}

/* A single reply with no data: opcode, status bytes */
static void
assert_status (Fixture *fixture,
               guint8   opcode,
               guint8   first,
               guint8   second)
{
  gboolean rom = fs_sim_loader_get_mode (fixture->loader) == FS_SIM_LOADER_ROM;
  const guint8 rom_reply[] = { 0x01, opcode, 0x04, 0x00, 0, 0, 0, 0, first, second, 0, 0 };
  const guint8 stub_reply[] = { 0x01, opcode, 0x02, 0x00, 0, 0, 0, 0, first, second };

  g_assert_cmpuint (fixture->replies->len, ==, 1);
  if (rom)
    assert_reply (fixture, 0, rom_reply, sizeof rom_reply);
  else
    assert_reply (fixture, 0, stub_reply, sizeof stub_reply);
}

static void
send_sync (Fixture *fixture)
{
  send_bytes (fixture, fs_packet_sync_new ());
}

static guint8 *
pattern (gsize   len,
         guint32 seed)
{
  guint8 *data = g_malloc (len);
  GRand *rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < len; i++)
    data[i] = g_rand_int (rand);
  g_rand_free (rand);
  return data;
}

static const guint8 *
flash_at (Fixture *fixture,
          guint32  offset)
{
  return fs_sim_flash_get_data (fixture->flash) + offset;
}

static gboolean
all_ff (Fixture *fixture,
        guint32  offset,
        gsize    len)
{
  for (gsize i = 0; i < len; i++)
    if (flash_at (fixture, offset)[i] != 0xFF)
      return FALSE;
  return TRUE;
}

static void
test_rom_sync_and_unknown (Fixture       *fixture,
                           gconstpointer  user_data)
{
  const guint8 sync_reply[] = { 0x01, 0x08, 0x04, 0x00, 0x07, 0x07, 0x12, 0x20, 0x00, 0x00, 0x00, 0x00 };
  const guint8 stale_sync[] = { 0x01, 0x08, 0x04, 0x00, 0x07, 0x07, 0x12, 0x20, 0x01, 0x05, 0x00, 0x00 };
  const guint8 stale_attach[] = { 0x01, 0x0D, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00 };
  const guint32 attach[] = { 0, 0 };

  send_sync (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    assert_reply (fixture, i, sync_reply, sizeof sync_reply);

  /* The ESP32 ROM lacks GET_SECURITY_INFO: its answer carries SYNC's header */
  send_words (fixture, FS_OP_GET_SECURITY_INFO, NULL, 0);
  g_assert_cmpuint (fixture->replies->len, ==, 8);
  assert_reply (fixture, 0, stale_sync, sizeof stale_sync);
  assert_reply (fixture, 7, stale_sync, sizeof stale_sync);

  send_words (fixture, FS_OP_SPI_ATTACH, attach, 2);
  assert_status (fixture, FS_OP_SPI_ATTACH, 0, 0);
  send_words (fixture, 0x99, NULL, 0);
  g_assert_cmpuint (fixture->replies->len, ==, 1);
  assert_reply (fixture, 0, stale_attach, sizeof stale_attach);

  /* A stub-only command is unknown to the ROM too */
  send_words (fixture, FS_OP_ERASE_FLASH, NULL, 0);
  assert_reply (fixture, 0, stale_attach, sizeof stale_attach);

  /* A SYNC with a wrong pattern is not answered */
  send_bytes (fixture, fs_packet_command_new (FS_OP_SYNC, (const guint8 *) "nope", 4, 0));
  g_assert_cmpuint (fixture->replies->len, ==, 0);
}

static void
test_rom_registers (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const guint8 magic[] = { 0x01, 0x0A, 0x04, 0x00, 0x83, 0x1D, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00 };
  const guint32 magic_reg = 0x40001000;
  const guint32 efuse1 = 0x3FF5A004;
  /* esptool's run_spiflash_command (0x9F, read_bits 24) */
  const guint32 setup[] = {
    0x3FF4202C, 23, 0xFFFFFFFF, 0,
    0x3FF4201C, 1u << 31 | 1u << 28, 0xFFFFFFFF, 0,
    0x3FF42024, 7u << 28 | 0x9F, 0xFFFFFFFF, 0,
    0x3FF42080, 0, 0xFFFFFFFF, 0,
    0x3FF42000, 1u << 18, 0xFFFFFFFF, 0,
  };
  const guint32 w0 = 0x3FF42080;
  const guint32 cmd = 0x3FF42000;
  g_autoptr(FsResponse) response = NULL;

  send_words (fixture, FS_OP_READ_REG, &magic_reg, 1);
  g_assert_cmpuint (fixture->replies->len, ==, 1);
  assert_reply (fixture, 0, magic, sizeof magic);

  send_words (fixture, FS_OP_READ_REG, &efuse1, 1);
  response = fs_response_parse (g_bytes_get_data (g_ptr_array_index (fixture->replies, 0), NULL),
                                g_bytes_get_size (g_ptr_array_index (fixture->replies, 0)),
                                FS_STATUS_LEN_ROM, NULL);
  g_assert_cmphex (response->value, ==, 0xC4123456);

  for (guint i = 0; i < G_N_ELEMENTS (setup); i += 4)
    {
      send_words (fixture, FS_OP_WRITE_REG, setup + i, 4);
      assert_status (fixture, FS_OP_WRITE_REG, 0, 0);
    }
  g_clear_pointer (&response, fs_response_free);
  send_words (fixture, FS_OP_READ_REG, &cmd, 1);
  response = fs_response_parse (g_bytes_get_data (g_ptr_array_index (fixture->replies, 0), NULL),
                                g_bytes_get_size (g_ptr_array_index (fixture->replies, 0)),
                                FS_STATUS_LEN_ROM, NULL);
  g_assert_cmphex (response->value & (1u << 18), ==, 0);
  g_clear_pointer (&response, fs_response_free);
  send_words (fixture, FS_OP_READ_REG, &w0, 1);
  response = fs_response_parse (g_bytes_get_data (g_ptr_array_index (fixture->replies, 0), NULL),
                                g_bytes_get_size (g_ptr_array_index (fixture->replies, 0)),
                                FS_STATUS_LEN_ROM, NULL);
  g_assert_cmphex (response->value, ==, 0x1640EF);

  /* Wrong lengths */
  send_words (fixture, FS_OP_READ_REG, setup, 2);
  assert_status (fixture, FS_OP_READ_REG, 0x01, 0x05);
  send_words (fixture, FS_OP_WRITE_REG, setup, 3);
  assert_status (fixture, FS_OP_WRITE_REG, 0x01, 0x05);
}

static void
test_rom_flash_data_errors (Fixture       *fixture,
                            gconstpointer  user_data)
{
  const guint32 begin[] = { 0x1000, 4, 0x400, 0x10000 };
  const guint32 params[] = { 0, 4 * MiB, 64 * KiB, 4 * KiB, 256, 0xFFFF };
  g_autofree guint8 *block = pattern (0x400, 1);
  g_autoptr(GByteArray) bad_len = NULL;
  g_autoptr(GBytes) good = NULL;
  guint8 *raw;

  send_data (fixture, FS_OP_FLASH_DATA, 0, block, 0x400);
  assert_status (fixture, FS_OP_FLASH_DATA, 0x01, 0x05);

  send_words (fixture, FS_OP_SPI_SET_PARAMS, params, 6);
  assert_status (fixture, FS_OP_SPI_SET_PARAMS, 0, 0);
  send_words (fixture, FS_OP_FLASH_BEGIN, begin, 4);
  assert_status (fixture, FS_OP_FLASH_BEGIN, 0, 0);

  /* Bad checksum, then the same block again: the write is over */
  good = fs_packet_data_command_new (FS_OP_FLASH_DATA, 0, block, 0x400);
  raw = g_memdup2 (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  raw[4] ^= 0xFF;
  send_frame (fixture, raw, g_bytes_get_size (good));
  g_free (raw);
  assert_status (fixture, FS_OP_FLASH_DATA, 0x01, 0x07);
  send_data (fixture, FS_OP_FLASH_DATA, 0, block, 0x400);
  assert_status (fixture, FS_OP_FLASH_DATA, 0x01, 0x05);
  g_assert_true (all_ff (fixture, 0x10000, 0x1000));

  /* The block's length word disagrees with its data */
  send_words (fixture, FS_OP_FLASH_BEGIN, begin, 4);
  bad_len = g_byte_array_new ();
  g_byte_array_append (bad_len, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  bad_len->data[8] = 0xFF;
  send_frame (fixture, bad_len->data, bad_len->len);
  assert_status (fixture, FS_OP_FLASH_DATA, 0x01, 0x05);

  /* The ROM takes 1 KiB blocks, not the stub's 16 KiB */
  {
    g_autofree guint8 *big = pattern (0x4000, 2);
    const guint32 big_begin[] = { 0x4000, 1, 0x4000, 0x20000 };

    send_words (fixture, FS_OP_FLASH_BEGIN, big_begin, 4);
    assert_status (fixture, FS_OP_FLASH_BEGIN, 0, 0);
    send_data (fixture, FS_OP_FLASH_DATA, 0, big, 0x4000);
    assert_status (fixture, FS_OP_FLASH_DATA, 0x01, 0x05);
  }

  /* Nothing outside the flash */
  {
    const guint32 outside[] = { 0x2000, 2, 0x400, 4 * MiB - 0x1000 };
    send_words (fixture, FS_OP_FLASH_BEGIN, outside, 4);
    g_assert_cmpuint (fixture->replies->len, ==, 1);
    assert_status (fixture, FS_OP_FLASH_BEGIN, 0x01, 0x06);
  }
}

/* A plain write through the ROM, block by block as esptool --no-stub does */
static void
rom_write (Fixture      *fixture,
           guint32       offset,
           const guint8 *data,
           gsize         len)
{
  guint blocks = (len + 0x3FF) / 0x400;
  const guint32 begin[] = { len, blocks, 0x400, offset };
  guint8 block[0x400];
  FsSimFlashTiming timing;

  fs_sim_flash_timing_init_default (&timing);
  send_words (fixture, FS_OP_FLASH_BEGIN, begin, 4);
  assert_status (fixture, FS_OP_FLASH_BEGIN, 0, 0);
  g_assert_cmpuint (fixture->effects.busy_us, ==, fs_sim_flash_erase_cost (fixture->flash, offset, len));
  for (guint seq = 0; seq < blocks; seq++)
    {
      gsize n = MIN (0x400, len - seq * 0x400);

      memset (block, 0xFF, sizeof block);
      memcpy (block, data + seq * 0x400, n);
      send_data (fixture, FS_OP_FLASH_DATA, seq, block, sizeof block);
      assert_status (fixture, FS_OP_FLASH_DATA, 0, 0);
      g_assert_cmpuint (fixture->effects.flash_written, ==, 0x400);
      g_assert_cmpuint (fixture->effects.busy_us, ==, 4 * timing.page_program_us);
    }
}

static void
test_rom_write_and_md5 (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree guint8 *data = pattern (10000, 3);
  g_autofree char *md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, data, 10000);
  const guint32 md5_args[] = { 0x10000, 10000, 0, 0 };
  const guint32 read_args[] = { 0x10000 + 100, 20 };
  const guint32 end[] = { 1 };
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  const guint8 ok[] = { 0, 0, 0, 0 };
  const guint8 header[] = { 0x01, 0x13, 36, 0x00, 0, 0, 0, 0 };

  rom_write (fixture, 0x10000, data, 10000);
  send_words (fixture, FS_OP_FLASH_END, end, 1);
  assert_status (fixture, FS_OP_FLASH_END, 0, 0);
  g_assert_false (fixture->effects.run_user_code);

  g_assert_cmpmem (flash_at (fixture, 0x10000), 10000, data, 10000);
  g_assert_true (all_ff (fixture, 0x10000 + 10000, 0x400 - 10000 % 0x400));
  g_assert_true (all_ff (fixture, 0x10000 + 0x2800, 0x10000));
  g_assert_true (all_ff (fixture, 0, 0x10000));

  /* ROM MD5: 32 lowercase hex characters, then 4 status bytes */
  send_words (fixture, FS_OP_SPI_FLASH_MD5, md5_args, 4);
  g_byte_array_append (expected, header, sizeof header);
  g_byte_array_append (expected, (const guint8 *) md5, 32);
  g_byte_array_append (expected, ok, sizeof ok);
  g_assert_cmpuint (fixture->replies->len, ==, 1);
  assert_reply (fixture, 0, expected->data, expected->len);

  /* READ_FLASH_SLOW: always 64 bytes, then 4 status bytes */
  send_words (fixture, FS_OP_READ_FLASH_SLOW, read_args, 2);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (fixture->replies, 0)), ==, 8 + 64 + 4);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (g_ptr_array_index (fixture->replies, 0), NULL) + 8, 20,
                   data + 100, 20);
  {
    const guint32 too_long[] = { 0, 65 };
    const guint32 outside[] = { 4 * MiB - 10, 20 };

    send_words (fixture, FS_OP_READ_FLASH_SLOW, too_long, 2);
    assert_status (fixture, FS_OP_READ_FLASH_SLOW, 0x01, 0x0A);
    send_words (fixture, FS_OP_READ_FLASH_SLOW, outside, 2);
    assert_status (fixture, FS_OP_READ_FLASH_SLOW, 0x01, 0x09);
  }
}

/* A compressed write through the ROM as esptool does it: the size rounded
 * up to 1 KiB blocks, 1 KiB compressed blocks, no FLASH_DEFL_END */
static void
deflate_write (Fixture      *fixture,
               guint32       offset,
               const guint8 *data,
               gsize         len,
               guint         block_size)
{
  uLongf zlen = compressBound (len);
  g_autofree guint8 *z = g_malloc (zlen);
  guint blocks;
  gboolean rom = fs_sim_loader_get_mode (fixture->loader) == FS_SIM_LOADER_ROM;
  guint32 begin[4];

  g_assert_cmpint (compress2 (z, &zlen, data, len, 9), ==, Z_OK);
  blocks = (zlen + block_size - 1) / block_size;
  begin[0] = rom ? (len + 0x3FF) / 0x400 * 0x400 : len;
  begin[1] = blocks;
  begin[2] = block_size;
  begin[3] = offset;
  send_words (fixture, FS_OP_FLASH_DEFL_BEGIN, begin, 4);
  assert_status (fixture, FS_OP_FLASH_DEFL_BEGIN, 0, 0);
  for (guint seq = 0; seq < blocks; seq++)
    {
      gsize n = MIN (block_size, zlen - seq * block_size);

      send_data (fixture, FS_OP_FLASH_DEFL_DATA, seq, z + seq * block_size, n);
      assert_status (fixture, FS_OP_FLASH_DEFL_DATA, 0, 0);
    }
}

static void
test_rom_compressed (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree guint8 *data = pattern (40 * KiB, 4);

  deflate_write (fixture, 0x10000, data, 40 * KiB, 0x400);
  g_assert_cmpmem (flash_at (fixture, 0x10000), 40 * KiB, data, 40 * KiB);
  /* Without the spill option nothing else changes */
  g_assert_true (all_ff (fixture, 0x1A000, 0x30000));
  g_assert_true (all_ff (fixture, 0, 0x10000));
}

static void
test_rom_spill (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree guint8 *data40 = pattern (40 * KiB, 5);
  g_autofree guint8 *data64 = pattern (64 * KiB, 6);

  fs_sim_loader_set_compressed_spill (fixture->loader, TRUE);

  /* 40 KiB at 0x10000: 0x1A000–0x1FFFF gets the rest of the first 32 KiB */
  deflate_write (fixture, 0x10000, data40, 40 * KiB, 0x400);
  g_assert_cmpmem (flash_at (fixture, 0x10000), 40 * KiB, data40, 40 * KiB);
  g_assert_cmpmem (flash_at (fixture, 0x1A000), 24 * KiB, data40 + 8 * KiB, 24 * KiB);
  g_assert_true (all_ff (fixture, 0x20000, 0x10000));

  /* 64 KiB at 0x100000: a full extra 32 KiB, the last one again */
  deflate_write (fixture, 0x100000, data64, 64 * KiB, 0x400);
  g_assert_cmpmem (flash_at (fixture, 0x100000), 64 * KiB, data64, 64 * KiB);
  g_assert_cmpmem (flash_at (fixture, 0x110000), 32 * KiB, data64 + 32 * KiB, 32 * KiB);
  g_assert_true (all_ff (fixture, 0x118000, 0x8000));
  g_assert_true (all_ff (fixture, 0xF0000, 0x10000));

  /* Plain writes do not spill */
  rom_write (fixture, 0x200000, data64, 64 * KiB);
  g_assert_true (all_ff (fixture, 0x210000, 0x10000));
}

/* Uploads a pretend stub: two segments, the entry point in the first */
static void
upload_stub (Fixture *fixture)
{
  g_autofree guint8 *text = pattern (0x2000, 7);
  const guint32 text_begin[] = { 0x2000, 2, 0x1800, 0x40080000 };
  const guint32 data_begin[] = { 0x100, 1, 0x1800, 0x3FFB0000 };
  const guint32 end[] = { 0, 0x40080400 };

  send_words (fixture, FS_OP_MEM_BEGIN, text_begin, 4);
  assert_status (fixture, FS_OP_MEM_BEGIN, 0, 0);
  send_data (fixture, FS_OP_MEM_DATA, 0, text, 0x1800);
  assert_status (fixture, FS_OP_MEM_DATA, 0, 0);
  send_data (fixture, FS_OP_MEM_DATA, 1, text + 0x1800, 0x800);
  assert_status (fixture, FS_OP_MEM_DATA, 0, 0);
  send_words (fixture, FS_OP_MEM_BEGIN, data_begin, 4);
  send_data (fixture, FS_OP_MEM_DATA, 0, text, 0x100);
  assert_status (fixture, FS_OP_MEM_DATA, 0, 0);
  send_words (fixture, FS_OP_MEM_END, end, 2);
}

static void
test_stub_upload (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const guint8 mem_end[] = { 0x01, 0x06, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
  const guint8 stub_sync[] = { 0x01, 0x08, 0x02, 0x00, 0, 0, 0, 0, 0, 0 };

  upload_stub (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 2);
  assert_reply (fixture, 0, mem_end, sizeof mem_end);
  assert_reply (fixture, 1, (const guint8 *) "OHAI", 4);
  g_assert_cmpint (fs_sim_loader_get_mode (fixture->loader), ==, FS_SIM_LOADER_STUB);

  /* The stub answers SYNC eight times with value 0 and two status bytes */
  send_sync (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    assert_reply (fixture, i, stub_sync, sizeof stub_sync);

  fs_sim_loader_reset (fixture->loader);
  g_assert_cmpint (fs_sim_loader_get_mode (fixture->loader), ==, FS_SIM_LOADER_ROM);
}

static void
test_mem_errors (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const guint32 begin[] = { 0x100, 1, 0x1800, 0x40080000 };
  const guint32 wild[] = { 0, 0x40090000 };
  guint8 block[0x200] = { 0 };

  send_data (fixture, FS_OP_MEM_DATA, 0, block, 0x100);
  assert_status (fixture, FS_OP_MEM_DATA, 0x01, 0x05);
  send_words (fixture, FS_OP_MEM_BEGIN, begin, 4);
  send_data (fixture, FS_OP_MEM_DATA, 0, block, 0x200);
  assert_status (fixture, FS_OP_MEM_DATA, 0x01, 0x0E);
  send_data (fixture, FS_OP_MEM_DATA, 0, block, 0x100);
  assert_status (fixture, FS_OP_MEM_DATA, 0, 0);

  /* A jump outside what was uploaded crashes the chip: silence until reset */
  send_words (fixture, FS_OP_MEM_END, wild, 2);
  assert_status (fixture, FS_OP_MEM_END, 0, 0);
  send_sync (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 0);
  fs_sim_loader_reset (fixture->loader);
  send_sync (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 8);
}

static void
test_stub_hangs (Fixture       *fixture,
                 gconstpointer  user_data)
{
  fs_sim_loader_set_stub_hangs (fixture->loader, TRUE);
  upload_stub (fixture);
  /* The ROM's answer to MEM_END, then nothing */
  assert_status (fixture, FS_OP_MEM_END, 0, 0);
  send_sync (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 0);

  fs_sim_loader_reset (fixture->loader);
  send_sync (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 8);
}

static void
test_stub_md5_is_raw (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const guint32 md5_args[] = { 0, 4096, 0, 0 };
  const guint32 outside[] = { 4 * MiB - 16, 32, 0, 0 };
  guint8 digest[16];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  const guint8 header[] = { 0x01, 0x13, 18, 0x00, 0, 0, 0, 0 };
  const guint8 ok[] = { 0, 0 };

  g_checksum_update (md5, flash_at (fixture, 0), 4096);
  g_checksum_get_digest (md5, digest, &digest_len);
  g_byte_array_append (expected, header, sizeof header);
  g_byte_array_append (expected, digest, sizeof digest);
  g_byte_array_append (expected, ok, sizeof ok);

  upload_stub (fixture);
  send_words (fixture, FS_OP_SPI_FLASH_MD5, md5_args, 4);
  g_assert_cmpuint (fixture->replies->len, ==, 1);
  assert_reply (fixture, 0, expected->data, expected->len);
  send_words (fixture, FS_OP_SPI_FLASH_MD5, outside, 4);
  assert_status (fixture, FS_OP_SPI_FLASH_MD5, 0x01, 0x00);
}

static void
test_stub_read_flash_and_erase (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autofree guint8 *data = pattern (10000, 8);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  const guint32 read_args[] = { 0x8000, 10000, 4096, 64 };
  const guint8 read_ok[] = { 0x01, 0xD2, 0x02, 0x00, 0, 0, 0, 0, 0, 0 };
  const guint32 erase_args[] = { 0x8000, 0x2000 };
  const guint32 misaligned[] = { 0x8800, 0x1000 };
  const guint32 outside[] = { 4 * MiB - 0x1000, 0x2000 };
  guint8 digest[16];
  gsize digest_len = sizeof digest;

  upload_stub (fixture);
  deflate_write (fixture, 0x8000, data, 10000, 0x4000);
  g_assert_cmpmem (flash_at (fixture, 0x8000), 10000, data, 10000);

  /* esptool's read_flash: 4 KiB packets, at most 64 bytes unacknowledged */
  send_words (fixture, FS_OP_READ_FLASH, read_args, 4);
  g_assert_cmpuint (fixture->replies->len, ==, 2);
  assert_reply (fixture, 0, read_ok, sizeof read_ok);
  for (;;)
    {
      GBytes *packet = g_ptr_array_index (fixture->replies, fixture->replies->len - 1);
      guint32 total;
      guint8 ack[4];

      g_byte_array_append (received, g_bytes_get_data (packet, NULL), g_bytes_get_size (packet));
      total = received->len;
      ack[0] = total;
      ack[1] = total >> 8;
      ack[2] = total >> 16;
      ack[3] = total >> 24;
      send_frame (fixture, ack, sizeof ack);
      g_assert_cmpuint (fixture->replies->len, ==, 1);
      if (total == 10000)
        break;
    }
  g_assert_cmpmem (received->data, received->len, data, 10000);
  g_checksum_update (md5, data, 10000);
  g_checksum_get_digest (md5, digest, &digest_len);
  assert_reply (fixture, 0, digest, sizeof digest);

  /* Back to commands */
  send_words (fixture, FS_OP_ERASE_REGION, erase_args, 2);
  assert_status (fixture, FS_OP_ERASE_REGION, 0, 0);
  g_assert_true (all_ff (fixture, 0x8000, 0x2000));
  g_assert_cmpuint (fixture->effects.busy_us, ==, fs_sim_flash_erase_cost (fixture->flash, 0x8000, 0x2000));
  send_words (fixture, FS_OP_ERASE_REGION, misaligned, 2);
  assert_status (fixture, FS_OP_ERASE_REGION, 0x01, 0x00);
  send_words (fixture, FS_OP_ERASE_REGION, outside, 2);
  assert_status (fixture, FS_OP_ERASE_REGION, 0x01, 0x00);
}

static void
test_stub_writes (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree guint8 *data = pattern (0x5000, 9);
  const guint32 begin[] = { 0x5000, 2, 0x4000, 0x30000, 0 };
  const guint32 big_blocks[] = { 0x5000, 1, 0x8000, 0x30000 };
  const guint32 outside[] = { 0x2000, 1, 0x4000, 4 * MiB - 0x1000 };
  const guint32 end[] = { 1 };

  fs_sim_loader_set_compressed_spill (fixture->loader, TRUE);
  upload_stub (fixture);

  send_data (fixture, FS_OP_FLASH_DATA, 0, data, 0x100);
  assert_status (fixture, FS_OP_FLASH_DATA, 0xC6, 0x00);
  send_words (fixture, FS_OP_FLASH_BEGIN, big_blocks, 4);
  assert_status (fixture, FS_OP_FLASH_BEGIN, 0xC2, 0x00);

  /* 16 KiB blocks; esptool sends the fifth word (encrypted: 0) */
  send_words (fixture, FS_OP_FLASH_BEGIN, begin, 5);
  assert_status (fixture, FS_OP_FLASH_BEGIN, 0, 0);
  send_data (fixture, FS_OP_FLASH_DATA, 0, data, 0x4000);
  assert_status (fixture, FS_OP_FLASH_DATA, 0, 0);
  g_assert_cmpuint (fixture->effects.flash_written, ==, 0x4000);
  send_words (fixture, FS_OP_FLASH_END, end, 1);
  assert_status (fixture, FS_OP_FLASH_END, 0xC8, 0x00);
  /* The last block carries padding the stub does not write */
  {
    guint8 last[0x4000];

    memset (last, 0xAA, sizeof last);
    memcpy (last, data + 0x4000, 0x1000);
    send_data (fixture, FS_OP_FLASH_DATA, 1, last, sizeof last);
    assert_status (fixture, FS_OP_FLASH_DATA, 0, 0);
    g_assert_cmpuint (fixture->effects.flash_written, ==, 0x1000);
  }
  send_words (fixture, FS_OP_FLASH_END, end, 1);
  assert_status (fixture, FS_OP_FLASH_END, 0, 0);
  g_assert_cmpmem (flash_at (fixture, 0x30000), 0x5000, data, 0x5000);
  g_assert_true (all_ff (fixture, 0x35000, 0x10000));

  /* Compressed through the stub: no spill */
  {
    g_autofree guint8 *more = pattern (40 * KiB, 10);

    deflate_write (fixture, 0x40000, more, 40 * KiB, 0x4000);
    g_assert_cmpmem (flash_at (fixture, 0x40000), 40 * KiB, more, 40 * KiB);
    g_assert_true (all_ff (fixture, 0x4A000, 0x6000));
  }

  /* A write past the end fails on the next block, and nothing is written */
  send_words (fixture, FS_OP_FLASH_BEGIN, outside, 4);
  assert_status (fixture, FS_OP_FLASH_BEGIN, 0, 0);
  send_data (fixture, FS_OP_FLASH_DATA, 0, data, 0x2000);
  assert_status (fixture, FS_OP_FLASH_DATA, 0, 0);
  g_assert_cmpuint (fixture->effects.flash_written, ==, 0);
  send_data (fixture, FS_OP_FLASH_DATA, 1, data, 0x10);
  assert_status (fixture, FS_OP_FLASH_DATA, 0xC4, 0x00);
  g_assert_true (all_ff (fixture, 4 * MiB - 0x1000, 0x1000));

  /* Unknown to the stub */
  send_words (fixture, FS_OP_READ_FLASH_SLOW, end, 1);
  assert_status (fixture, FS_OP_READ_FLASH_SLOW, 0xFF, 0x00);
  send_words (fixture, 0x99, NULL, 0);
  assert_status (fixture, 0x99, 0xFF, 0x00);
}

static void
test_stub_bad_checksum (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const guint32 begin[] = { 0x1000, 1, 0x4000, 0x50000 };
  g_autofree guint8 *data = pattern (0x1000, 11);
  g_autoptr(GBytes) good = fs_packet_data_command_new (FS_OP_FLASH_DATA, 0, data, 0x1000);
  g_autofree guint8 *raw = g_memdup2 (g_bytes_get_data (good, NULL), g_bytes_get_size (good));

  upload_stub (fixture);
  send_words (fixture, FS_OP_FLASH_BEGIN, begin, 4);
  raw[4] ^= 0x01;
  send_frame (fixture, raw, g_bytes_get_size (good));
  assert_status (fixture, FS_OP_FLASH_DATA, 0xC1, 0x00);
  /* The stub, unlike the ROM, takes the block again */
  send_bytes (fixture, g_bytes_ref (good));
  assert_status (fixture, FS_OP_FLASH_DATA, 0, 0);
  g_assert_cmpmem (flash_at (fixture, 0x50000), 0x1000, data, 0x1000);
}

static void
test_change_baudrate (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const guint32 rom_args[] = { 921600, 0 };
  const guint32 stub_args[] = { 921600, 115200 };
  const guint32 wrong_old[] = { 460800, 1843200 };

  send_words (fixture, FS_OP_CHANGE_BAUDRATE, rom_args, 2);
  assert_status (fixture, FS_OP_CHANGE_BAUDRATE, 0, 0);
  g_assert_cmpuint (fixture->effects.new_baud, ==, 921600);
  g_assert_cmpuint (fs_sim_chip_get_baud (fixture->chip), ==, 921600);

  fs_sim_loader_reset (fixture->loader);
  fs_sim_chip_set_baud (fixture->chip, 115200);
  upload_stub (fixture);
  send_words (fixture, FS_OP_CHANGE_BAUDRATE, stub_args, 2);
  assert_status (fixture, FS_OP_CHANGE_BAUDRATE, 0, 0);
  g_assert_cmpuint (fixture->effects.new_baud, ==, 921600);

  /* The stub scales its divider by old / new: a wrong old baud gives a
   * wrong rate (921600 × 460800 / 1843200) */
  send_words (fixture, FS_OP_CHANGE_BAUDRATE, wrong_old, 2);
  assert_status (fixture, FS_OP_CHANGE_BAUDRATE, 0, 0);
  g_assert_cmpuint (fixture->effects.new_baud, ==, 230400);

  /* Other commands leave the baud alone */
  send_sync (fixture);
  g_assert_cmpuint (fixture->effects.new_baud, ==, 0);
}

static void
test_run_user_code (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const guint32 begin[] = { 0, 0, 0x400, 0 };
  const guint32 reboot[] = { 0 };

  /* esptool's run(): an empty FLASH_BEGIN, then FLASH_END asking to run */
  send_words (fixture, FS_OP_FLASH_BEGIN, begin, 4);
  assert_status (fixture, FS_OP_FLASH_BEGIN, 0, 0);
  send_words (fixture, FS_OP_FLASH_END, reboot, 1);
  assert_status (fixture, FS_OP_FLASH_END, 0, 0);
  g_assert_true (fixture->effects.run_user_code);
  send_sync (fixture);
  g_assert_cmpuint (fixture->replies->len, ==, 0);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  user_data)
{
  const guint8 short_frame[] = { 0x00, 0x08 };
  const guint8 lying[] = { 0x00, 0x0A, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x10, 0x00, 0x40 };

  send_frame (fixture, short_frame, sizeof short_frame);
  g_assert_cmpuint (fixture->replies->len, ==, 0);
  send_frame (fixture, NULL, 0);
  g_assert_cmpuint (fixture->replies->len, ==, 0);
  send_frame (fixture, lying, sizeof lying);
  assert_status (fixture, FS_OP_READ_REG, 0x01, 0x05);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sim-loader/rom/sync-and-unknown", test_rom_sync_and_unknown);
  ADD ("/sim-loader/rom/registers", test_rom_registers);
  ADD ("/sim-loader/rom/flash-data-errors", test_rom_flash_data_errors);
  ADD ("/sim-loader/rom/write-and-md5", test_rom_write_and_md5);
  ADD ("/sim-loader/rom/compressed", test_rom_compressed);
  ADD ("/sim-loader/rom/spill", test_rom_spill);
  ADD ("/sim-loader/rom/mem-errors", test_mem_errors);
  ADD ("/sim-loader/rom/run-user-code", test_run_user_code);
  ADD ("/sim-loader/rom/malformed", test_malformed);
  ADD ("/sim-loader/stub/upload", test_stub_upload);
  ADD ("/sim-loader/stub/hangs", test_stub_hangs);
  ADD ("/sim-loader/stub/md5-is-raw", test_stub_md5_is_raw);
  ADD ("/sim-loader/stub/read-flash-and-erase", test_stub_read_flash_and_erase);
  ADD ("/sim-loader/stub/writes", test_stub_writes);
  ADD ("/sim-loader/stub/bad-checksum", test_stub_bad_checksum);
  ADD ("/sim-loader/change-baudrate", test_change_baudrate);
#undef ADD

  return g_test_run ();
}
