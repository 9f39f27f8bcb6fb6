/* test-packet.c: ROM loader and stub command and response packets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>

#include "fs-error.h"
#include "fs-packet.h"

static void
assert_bytes (GBytes       *bytes,
              const guint8 *data,
              gsize         len)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, len);
}

static void
test_sync_command (void)
{
  /* esptool's SYNC: 07 07 12 20, then 32 × 0x55, no checksum */
  static const guint8 expected[] = {
    0x00, 0x08, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x07, 0x07, 0x12, 0x20,
    0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
    0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
    0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
    0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
  };
  guint8 data[36] = { 0x07, 0x07, 0x12, 0x20 };
  g_autoptr(GBytes) packet = NULL;
  g_autoptr(GBytes) sync = fs_packet_sync_new ();
  g_autoptr(FsCommand) command = NULL;
  g_autoptr(GError) error = NULL;

  memset (data + 4, 0x55, 32);
  packet = fs_packet_command_new (FS_OP_SYNC, data, sizeof (data), 0);
  assert_bytes (packet, expected, sizeof (expected));
  assert_bytes (sync, expected, sizeof (expected));

  command = fs_command_parse (expected, sizeof (expected), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (command->opcode, ==, FS_OP_SYNC);
  g_assert_cmpuint (command->checksum, ==, 0);
  assert_bytes (command->data, data, sizeof (data));
}

static void
test_flash_data_command (void)
{
  static const guint8 payload[] = { 0x01, 0x02, 0x03, 0xFF };
  /* checksum: 0xEF ^ 0x01 = 0xEE, ^ 0x02 = 0xEC, ^ 0x03 = 0xEF, ^ 0xFF = 0x10 */
  static const guint8 expected[] = {
    0x00, 0x03, 0x14, 0x00, 0x10, 0x00, 0x00, 0x00,
    0x04, 0x00, 0x00, 0x00,      /* payload length */
    0x05, 0x01, 0x00, 0x00,      /* sequence 0x105 */
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    0x01, 0x02, 0x03, 0xFF,
  };
  g_autoptr(GBytes) packet = fs_packet_data_command_new (FS_OP_FLASH_DATA, 0x105,
                                                         payload, sizeof (payload));
  g_autoptr(FsCommand) command = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (fs_packet_checksum (payload, sizeof (payload)), ==, 0x10);
  g_assert_cmpuint (fs_packet_checksum (NULL, 0), ==, 0xEF);
  assert_bytes (packet, expected, sizeof (expected));

  command = fs_command_parse (expected, sizeof (expected), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (command->opcode, ==, FS_OP_FLASH_DATA);
  g_assert_cmpuint (command->checksum, ==, 0x10);
  assert_bytes (command->data, expected + 8, sizeof (expected) - 8);
}

static void
test_words_command (void)
{
  /* READ_REG of 0x60000078: the register holding the ESP32's chip magic */
  static const guint8 expected[] = {
    0x00, 0x0A, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x78, 0x00, 0x00, 0x60,
  };
  static const guint8 expected_two[] = {
    0x00, 0x0F, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x08, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00,
  };
  const guint32 address = 0x60000078;
  const guint32 baud[] = { 460800, 0 };
  g_autoptr(GBytes) packet = fs_packet_words_command_new (FS_OP_READ_REG, &address, 1);
  g_autoptr(GBytes) packet_two = fs_packet_words_command_new (FS_OP_CHANGE_BAUDRATE, baud, 2);

  assert_bytes (packet, expected, sizeof (expected));
  assert_bytes (packet_two, expected_two, sizeof (expected_two));
}

static void
test_rom_read_reg_response (void)
{
  /* value 0x00F01D83, status 0, error 0, two stale bytes */
  static const guint8 frame[] = {
    0x01, 0x0A, 0x04, 0x00, 0x83, 0x1D, 0xF0, 0x00,
    0x00, 0x00, 0x5A, 0xC3,
  };
  g_autoptr(FsResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = fs_response_parse (frame, sizeof (frame), FS_STATUS_LEN_ROM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->opcode, ==, FS_OP_READ_REG);
  g_assert_cmpuint (response->value, ==, 0x00F01D83);
  g_assert_cmpuint (g_bytes_get_size (response->data), ==, 0);
  g_assert_cmpuint (response->status, ==, 0);
  g_assert_cmpuint (response->error, ==, 0);
  g_assert_true (fs_response_check (response, &error));
  g_assert_no_error (error);
}

static void
test_rom_failure_response (void)
{
  static const guint8 frame[] = {
    0x01, 0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x00, 0x00,
  };
  g_autoptr(FsResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = fs_response_parse (frame, sizeof (frame), FS_STATUS_LEN_ROM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 1);
  g_assert_cmpuint (response->error, ==, 0x05);
  g_assert_false (fs_response_check (response, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_LOADER);
  g_assert_cmpstr (error->message, ==,
                   "FLASH_BEGIN failed: Received message is invalid: bad parameters or length field (error 0x05)");
}

static void
test_stub_responses (void)
{
  /* SPI_FLASH_MD5 from the stub: 16 raw digest bytes, then status, error */
  static const guint8 md5[] = {
    0x01, 0x13, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xD4, 0x1D, 0x8C, 0xD9, 0x8F, 0x00, 0xB2, 0x04,
    0xE9, 0x80, 0x09, 0x98, 0xEC, 0xF8, 0x42, 0x7E,
    0x00, 0x00,
  };
  static const guint8 bad_crc[] = {
    0x01, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0xC1,
  };
  g_autoptr(FsResponse) response = NULL;
  g_autoptr(FsResponse) failure = NULL;
  g_autoptr(GError) error = NULL;

  response = fs_response_parse (md5, sizeof (md5), FS_STATUS_LEN_STUB, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->opcode, ==, FS_OP_SPI_FLASH_MD5);
  assert_bytes (response->data, md5 + 8, 16);
  g_assert_true (fs_response_check (response, &error));

  failure = fs_response_parse (bad_crc, sizeof (bad_crc), FS_STATUS_LEN_STUB, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (failure->data), ==, 0);
  g_assert_false (fs_response_check (failure, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_LOADER);
  g_assert_cmpstr (error->message, ==,
                   "FLASH_DATA failed: The data block arrived damaged (its checksum is wrong) (error 0xc1)");
}

static void
test_response_check_messages (void)
{
  static const struct { guint8 opcode; guint8 error; const char *message; } cases[] = {
    { FS_OP_FLASH_DATA, 0x07, "FLASH_DATA failed: Invalid CRC in message (error 0x07)" },
    { FS_OP_FLASH_DEFL_DATA, 0x0B, "FLASH_DEFL_DATA failed: Deflate error (error 0x0b)" },
    { FS_OP_ERASE_REGION, 0xC4, "ERASE_REGION failed: Talking to the flash chip (SPI) failed (error 0xc4)" },
    { 0x99, 0xFF, "0x99 failed: The loader does not implement this command (error 0xff)" },
    { FS_OP_SYNC, 0x42, "SYNC failed: Unknown error (error 0x42)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FsResponse response = { cases[i].opcode, 0, NULL, 1, cases[i].error };
      g_autoptr(GError) error = NULL;

      g_assert_false (fs_response_check (&response, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_LOADER);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_response_invalid (void)
{
  static const guint8 short_header[] = { 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 command[] = { 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 too_long[] = { 0x01, 0x08, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 too_short[] = { 0x01, 0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 no_status[] = { 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const struct {
    const guint8 *frame;
    gsize         len;
    FsStatusLen   status_len;
    const char   *message;
  } cases[] = {
    { short_header, sizeof (short_header), FS_STATUS_LEN_STUB,
      "The packet is 7 bytes long, shorter than a packet header (8 bytes)" },
    { NULL, 0, FS_STATUS_LEN_ROM,
      "The packet is 0 bytes long, shorter than a packet header (8 bytes)" },
    { command, sizeof (command), FS_STATUS_LEN_STUB,
      "The packet is not a reply: its direction byte is 0x00, not 0x01" },
    { too_long, sizeof (too_long), FS_STATUS_LEN_STUB,
      "The packet says it carries 3 bytes of data, but it has 2 bytes after its header" },
    { too_short, sizeof (too_short), FS_STATUS_LEN_STUB,
      "The packet says it carries 1 byte of data, but it has 2 bytes after its header" },
    /* fine from the stub, but the ROM sends four status bytes */
    { no_status, sizeof (no_status), FS_STATUS_LEN_ROM,
      "The reply carries 2 bytes of data, too few for its 4 status bytes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsResponse) response = fs_response_parse (cases[i].frame, cases[i].len,
                                                          cases[i].status_len, &error);

      g_assert_null (response);
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_command_invalid (void)
{
  static const guint8 response[] = { 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 mismatch[] = { 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const struct { const guint8 *frame; gsize len; const char *message; } cases[] = {
    { response, 4, "The packet is 4 bytes long, shorter than a packet header (8 bytes)" },
    { response, sizeof (response), "The packet is not a command: its direction byte is 0x01, not 0x00" },
    { mismatch, sizeof (mismatch), "The packet says it carries 256 bytes of data, but it has 1 byte after its header" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsCommand) command = fs_command_parse (cases[i].frame, cases[i].len, &error);

      g_assert_null (command);
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_response_round_trip (void)
{
  static const guint8 data[] = { 0xAA, 0xBB, 0xCC };
  const FsStatusLen lens[] = { FS_STATUS_LEN_STUB, FS_STATUS_LEN_ROM };

  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autoptr(GBytes) packet = fs_packet_response_new (FS_OP_READ_FLASH_SLOW, 0xDEADBEEF,
                                                         data, sizeof (data), 1, 0x08, lens[i]);
      g_autoptr(FsResponse) response = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;
      const guint8 *frame = g_bytes_get_data (packet, &len);

      g_assert_cmpuint (len, ==, 8 + sizeof (data) + lens[i]);
      g_assert_cmpuint (frame[2], ==, sizeof (data) + lens[i]);
      /* the ROM's extra status bytes are sent as zero */
      if (lens[i] == FS_STATUS_LEN_ROM)
        g_assert_cmpuint (frame[len - 1] | frame[len - 2], ==, 0);

      response = fs_response_parse (frame, len, lens[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (response->opcode, ==, FS_OP_READ_FLASH_SLOW);
      g_assert_cmpuint (response->value, ==, 0xDEADBEEF);
      assert_bytes (response->data, data, sizeof (data));
      g_assert_cmpuint (response->status, ==, 1);
      g_assert_cmpuint (response->error, ==, 0x08);
      g_assert_false (fs_response_check (response, &error));
      g_assert_cmpstr (error->message, ==, "READ_FLASH_SLOW failed: Flash write error (error 0x08)");
    }
}

static void
test_opcode_names (void)
{
  g_assert_cmpstr (fs_opcode_to_string (FS_OP_FLASH_BEGIN), ==, "FLASH_BEGIN");
  g_assert_cmpstr (fs_opcode_to_string (FS_OP_GET_SECURITY_INFO), ==, "GET_SECURITY_INFO");
  g_assert_cmpstr (fs_opcode_to_string (FS_OP_RUN_USER_CODE), ==, "RUN_USER_CODE");
  g_assert_cmpstr (fs_opcode_to_string (0x99), ==, "0x99");
  g_assert_cmpstr (fs_opcode_to_string (0x01), ==, "0x01");
  /* interned: the same pointer each time */
  g_assert_true (fs_opcode_to_string (0x99) == fs_opcode_to_string (0x99));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet/sync-command", test_sync_command);
  g_test_add_func ("/packet/flash-data-command", test_flash_data_command);
  g_test_add_func ("/packet/words-command", test_words_command);
  g_test_add_func ("/packet/rom-read-reg-response", test_rom_read_reg_response);
  g_test_add_func ("/packet/rom-failure-response", test_rom_failure_response);
  g_test_add_func ("/packet/stub-responses", test_stub_responses);
  g_test_add_func ("/packet/response-check-messages", test_response_check_messages);
  g_test_add_func ("/packet/response-invalid", test_response_invalid);
  g_test_add_func ("/packet/command-invalid", test_command_invalid);
  g_test_add_func ("/packet/response-round-trip", test_response_round_trip);
  g_test_add_func ("/packet/opcode-names", test_opcode_names);

  return g_test_run ();
}
