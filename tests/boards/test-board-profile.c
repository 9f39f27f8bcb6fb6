/* test-board-profile.c: the shipped board profiles and board files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-board-profile.h"
#include "fs-error.h"

#define MiB (1024u * 1024u)

static void
assert_strv (const char * const *actual,
             const char * const *expected)
{
  guint n_expected = g_strv_length ((GStrv) expected);

  g_assert_nonnull (actual);
  g_assert_cmpuint (g_strv_length ((GStrv) actual), ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpstr (actual[i], ==, expected[i]);
}

static void
assert_bridge (FsBoardProfile *profile,
               guint           index,
               guint16         vid,
               guint16         pid,
               const char     *description)
{
  const FsUsbBridge *bridge = fs_board_profile_get_bridge (profile, index);

  g_assert_cmphex (bridge->vid, ==, vid);
  g_assert_cmphex (bridge->pid, ==, pid);
  g_assert_null (bridge->product);
  g_assert_cmpstr (bridge->description, ==, description);
}

static void
test_builtin_list (void)
{
  g_auto(GStrv) ids = fs_board_profile_list_builtin ();
  const char * const expected[] = {
    "esp32-devkit", "heltec-wifi-kit-32", "pycom-fipy", "vigotech-vg-l7x", NULL
  };

  g_assert_cmpuint (g_strv_length (ids), ==, G_N_ELEMENTS (expected) - 1);
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) ids, expected[i]));
}

/* Every shipped file loads, is named after its id, and holds together */
static void
test_builtin_all_load (void)
{
  g_auto(GStrv) ids = fs_board_profile_list_builtin ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin (ids[i], &error);
      g_autofree char *origin = g_strconcat (ids[i], ".board", NULL);

      g_assert_no_error (error);
      g_assert_cmpstr (fs_board_profile_get_id (profile), ==, ids[i]);
      g_assert_cmpstr (fs_board_profile_get_origin (profile), ==, origin);
      g_assert_cmpint (fs_board_profile_get_chip (profile), ==, FS_CHIP_ESP32);
      g_assert_cmpuint (fs_board_profile_get_default_baud (profile), <=, fs_board_profile_get_max_baud (profile));
      if (fs_board_profile_get_reset_method (profile) == FS_BOARD_RESET_MANUAL)
        g_assert_nonnull (fs_board_profile_get_steps (profile)[0]);
    }
}

static void
test_builtin_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin ("esp8266", &error);

  g_assert_null (profile);
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "there is no board profile named “esp8266”");
}

static void
test_heltec (void)
{
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin ("heltec-wifi-kit-32", NULL);
  const char * const layouts[] = { "esp32-8mb", "esp32-8mb-ble", NULL };
  const char * const no_steps[] = { NULL };
  const char * const missing[] = { "Touch detection support", NULL };
  const char * const *summary;

  g_assert_cmpstr (fs_board_profile_get_name (profile), ==, "Heltec Wi-Fi Kit 32");
  g_assert_cmpstr (fs_board_profile_get_vendor (profile), ==, "Heltec Automation");
  g_assert_cmpstr (fs_board_profile_get_vendor_url (profile), ==, "https://heltec.org/project/wifi-kit-32/");
  g_assert_cmpuint (fs_board_profile_get_flash_size (profile), ==, 8 * MiB);
  g_assert_cmpuint (fs_board_profile_get_default_baud (profile), ==, 921600);
  g_assert_cmpuint (fs_board_profile_get_max_baud (profile), ==, 921600);
  g_assert_cmpint (fs_board_profile_get_reset_method (profile), ==, FS_BOARD_RESET_AUTO);
  assert_strv (fs_board_profile_get_steps (profile), no_steps);
  g_assert_null (fs_board_profile_get_reset_prompt (profile));
  g_assert_null (fs_board_profile_get_hold_note (profile));
  g_assert_null (fs_board_profile_get_hold_button (profile));
  assert_strv (fs_board_profile_get_layouts (profile), layouts);
  assert_strv (fs_board_profile_get_missing_features (profile), missing);

  g_assert_cmpuint (fs_board_profile_get_n_bridges (profile), ==, 1);
  assert_bridge (profile, 0, 0x10c4, 0xea60, "Silicon Labs CP2102");

  summary = fs_board_profile_get_summary (profile);
  g_assert_cmpuint (g_strv_length ((GStrv) summary), ==, 14);
  g_assert_cmpstr (summary[0], ==, "Microcontroller: Tensilica 32-bit Single-/Dual-core CPU Xtensa LX6");
  g_assert_cmpstr (summary[3], ==, "Digital I/O Pins (DIO): 28");
  g_assert_cmpstr (summary[9], ==, "OLED: 0.96″ display driven by Solomon SSD1306 (I2C)");
  g_assert_cmpstr (summary[10], ==, "Flash Memory: 8 MB");
  g_assert_cmpstr (summary[13], ==,
                   "Wi-Fi: IEEE 802.11 b/g/n/e/i (integrated TR switch, balun, LNA, power amplifier "
                   "and matching network; WEP or WPA/WPA2 authentication, or open networks)");
}

static void
test_fipy (void)
{
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin ("pycom-fipy", NULL);
  const char * const steps[] = {
    "Connect a jumper between GND and D0 (G23).",
    "Press the Reset button on the board.",
    "Wait until the serial monitor shows the ESP32's boot messages: the board is in download mode.",
    "Remove the jumper.",
    NULL
  };
  const char * const *summary;

  g_assert_cmpstr (fs_board_profile_get_name (profile), ==, "Pycom FiPy 1.0");
  g_assert_cmpstr (fs_board_profile_get_vendor_url (profile), ==, "https://pycom.io/hardware/fipy_specs/");
  g_assert_cmpuint (fs_board_profile_get_flash_size (profile), ==, 8 * MiB);
  g_assert_cmpuint (fs_board_profile_get_default_baud (profile), ==, 115200);
  g_assert_cmpint (fs_board_profile_get_reset_method (profile), ==, FS_BOARD_RESET_MANUAL);
  assert_strv (fs_board_profile_get_steps (profile), steps);
  g_assert_cmpstr (fs_board_profile_get_reset_prompt (profile), ==, "Press the Reset button on the board now.");
  g_assert_null (fs_board_profile_get_hold_note (profile));
  g_assert_cmpuint (g_strv_length ((GStrv) fs_board_profile_get_layouts (profile)), ==, 2);

  g_assert_cmpuint (fs_board_profile_get_n_bridges (profile), ==, 3);
  assert_bridge (profile, 0, 0x0403, 0x6015, "FTDI FT234XD (Pycom expansion board)");
  assert_bridge (profile, 1, 0x04d8, 0xf012, "Pycom Pysense shield");
  assert_bridge (profile, 2, 0x04d8, 0xf013, "Pycom Pytrack shield");

  summary = fs_board_profile_get_summary (profile);
  g_assert_cmpuint (g_strv_length ((GStrv) summary), ==, 13);
  g_assert_cmpstr (summary[2], ==, "Input Voltage: 5.5 to 3.3 V");
  g_assert_cmpstr (summary[4], ==, "Analog Input Pins (ADC): 7");
}

static void
test_vigotech (void)
{
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin ("vigotech-vg-l7x", NULL);
  const char * const *steps;
  const char * const no_layouts[] = { NULL };

  g_assert_cmpstr (fs_board_profile_get_name (profile), ==, "Vigotech VG-L7X controller");
  g_assert_null (fs_board_profile_get_vendor_url (profile));
  g_assert_cmpuint (fs_board_profile_get_flash_size (profile), ==, 4 * MiB);
  g_assert_cmpuint (fs_board_profile_get_default_baud (profile), ==, 115200);
  g_assert_cmpuint (fs_board_profile_get_max_baud (profile), ==, 115200);
  g_assert_cmpint (fs_board_profile_get_reset_method (profile), ==, FS_BOARD_RESET_MANUAL);
  steps = fs_board_profile_get_steps (profile);
  g_assert_cmpuint (g_strv_length ((GStrv) steps), ==, 3);
  g_assert_true (g_str_has_prefix (steps[0], "Short IO0 (pin 23 of the ESP32) to GND"));
  g_assert_cmpstr (steps[2], ==, "Press the black Power button and keep it pressed.");
  g_assert_null (fs_board_profile_get_reset_prompt (profile));
  g_assert_cmpstr (fs_board_profile_get_hold_note (profile), ==,
                   "Keep the black Power button pressed until the job is done.");
  g_assert_cmpstr (fs_board_profile_get_hold_button (profile), ==, "Power button");
  /* The seeds' layouts are for 8 MB boards */
  assert_strv (fs_board_profile_get_layouts (profile), no_layouts);
  g_assert_cmpuint (fs_board_profile_get_n_bridges (profile), ==, 0);
  g_assert_cmpstr (fs_board_profile_get_summary (profile)[1], ==, "Flash Memory: 4 MB");
}

static void
test_devkit (void)
{
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin ("esp32-devkit", NULL);

  g_assert_cmpint (fs_board_profile_get_reset_method (profile), ==, FS_BOARD_RESET_AUTO);
  /* What to do when the automatic reset fails */
  g_assert_cmpstr (fs_board_profile_get_steps (profile)[0], ==, "Hold down the Boot button.");
  g_assert_cmpuint (fs_board_profile_get_flash_size (profile), ==, 4 * MiB);
  g_assert_cmpuint (fs_board_profile_get_default_baud (profile), ==, 921600);
  g_assert_cmpuint (fs_board_profile_get_n_bridges (profile), ==, 2);
  assert_bridge (profile, 0, 0x10c4, 0xea60, "Silicon Labs CP2102");
  assert_bridge (profile, 1, 0x1a86, 0x7523, "WCH CH340");
  g_assert_null (fs_board_profile_get_summary (profile)[0]);
}

static FsBoardProfile *
parse (const char  *text,
       GError     **error)
{
  return fs_board_profile_new_from_data (text, strlen (text), "my-board.board", error);
}

#define VALID_BOARD \
  "[Board]\n"                     /* 1 */ \
  "Id=my-board\n"                 /* 2 */ \
  "Name=My board\n"               /* 3 */ \
  "Vendor=Me\n"                   /* 4 */ \
  "Chip=ESP32\n"                  /* 5 */ \
  "FlashSize=8M\n"                /* 6 */ \
  "DefaultBaud=115200\n"          /* 7 */ \
  "MaxBaud=921600\n"              /* 8 */ \
  "\n"                            /* 9 */

#define VALID_RESET \
  "[Reset]\n"                     /* 10 */ \
  "Method=auto\n"                 /* 11 */ \
  "\n"                            /* 12 */

#define VALID_BRIDGE \
  "[Bridge usb]\n"                /* 13 */ \
  "UsbId=10c4:ea60\n"             /* 14 */ \
  "Description=Silicon Labs CP2102\n"  /* 15 */

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = parse (VALID_BOARD VALID_RESET VALID_BRIDGE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (fs_board_profile_get_id (profile), ==, "my-board");
  g_assert_null (fs_board_profile_get_vendor_url (profile));
  g_assert_null (fs_board_profile_get_layouts (profile)[0]);
  g_assert_null (fs_board_profile_get_summary (profile)[0]);
  g_assert_null (fs_board_profile_get_missing_features (profile)[0]);
  g_assert_null (fs_board_profile_get_steps (profile)[0]);
  g_assert_cmpuint (fs_board_profile_get_n_bridges (profile), ==, 1);
}

/* Lists are stripped and empty items dropped; CRLF files read as others */
static void
test_lists_and_crlf (void)
{
  const char *text =
    "[Board]\r\n"
    "Id=my-board\r\n"
    "Name=My board\r\n"
    "Vendor=Me\r\n"
    "Chip=esp32\r\n"
    "FlashSize=0x800000\r\n"
    "DefaultBaud=115200\r\n"
    "MaxBaud=115200\r\n"
    "Layouts= esp32-8mb ;;esp32-8mb-ble\r\n"
    "MissingFeatures=Touch;Sleep;\r\n"
    "[Reset]\r\n"
    "Method=manual\r\n"
    "Step2=Press Reset.\r\n"
    "Step1=Place the jumper.\r\n"
    "[Summary]\r\n"
    "Flash=8 MB\r\n"
    "Bad=\r\n";
  const char * const layouts[] = { "esp32-8mb", "esp32-8mb-ble", NULL };
  const char * const missing[] = { "Touch", "Sleep", NULL };
  const char * const steps[] = { "Place the jumper.", "Press Reset.", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = parse (text, &error);

  /* The last summary line is empty: reported on its own line */
  g_assert_null (profile);
  g_assert_cmpstr (error->message, ==, "my-board.board:17: “Bad” is empty");
  g_clear_error (&error);

  profile = fs_board_profile_new_from_data (text, strlen (text) - strlen ("Bad=\r\n"), "my-board.board", &error);
  g_assert_no_error (error);
  assert_strv (fs_board_profile_get_layouts (profile), layouts);
  assert_strv (fs_board_profile_get_missing_features (profile), missing);
  assert_strv (fs_board_profile_get_steps (profile), steps);
  g_assert_cmpstr (fs_board_profile_get_summary (profile)[0], ==, "Flash: 8 MB");
}

static void
test_matches_usb (void)
{
  const char *text = VALID_BOARD VALID_RESET VALID_BRIDGE
    "[Bridge special]\n"
    "UsbId=1A86:7523\n"
    "Product=Laser controller\n"
    "Description=WCH CH340\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = parse (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (fs_board_profile_get_bridge (profile, 1)->product, ==, "Laser controller");

  /* Without a product string, the ids decide */
  g_assert_true (fs_board_profile_matches_usb (profile, 0x10c4, 0xea60, NULL));
  g_assert_true (fs_board_profile_matches_usb (profile, 0x10c4, 0xea60, "CP2102 USB to UART Bridge Controller"));
  g_assert_false (fs_board_profile_matches_usb (profile, 0x10c4, 0xea61, NULL));
  g_assert_false (fs_board_profile_matches_usb (profile, 0xea60, 0x10c4, NULL));

  g_assert_true (fs_board_profile_matches_usb (profile, 0x1a86, 0x7523, "Laser controller"));
  g_assert_true (fs_board_profile_matches_usb (profile, 0x1a86, 0x7523, NULL));
  g_assert_false (fs_board_profile_matches_usb (profile, 0x1a86, 0x7523, "USB2.0-Serial"));
}

typedef struct {
  const char *what;
  const char *text;
  const char *message;
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "missing name",
    "[Board]\nId=my-board\nVendor=Me\nChip=ESP32\nFlashSize=8M\nDefaultBaud=115200\nMaxBaud=921600\n"
    VALID_RESET,
    "my-board.board:1: [Board] has no “Name”" },
  { "empty name",
    "[Board]\nId=my-board\nName=  \nVendor=Me\n",
    "my-board.board:3: “Name” is empty" },
  { "bad VID:PID",
    VALID_BOARD VALID_RESET "[Bridge usb]\nUsbId=10c4:zz60\nDescription=CP2102\n",
    "my-board.board:14: UsbId “10c4:zz60” is not VID:PID in hex" },
  { "VID:PID without colon",
    VALID_BOARD VALID_RESET "[Bridge usb]\nUsbId=10c4ea60\nDescription=CP2102\n",
    "my-board.board:14: UsbId “10c4ea60” is not VID:PID in hex" },
  { "VID:PID too long",
    VALID_BOARD VALID_RESET "[Bridge usb]\nUsbId=10c4:ea600\nDescription=CP2102\n",
    "my-board.board:14: UsbId “10c4:ea600” is not VID:PID in hex" },
  { "bridge without description",
    VALID_BOARD VALID_RESET "[Bridge usb]\nUsbId=10c4:ea60\n",
    "my-board.board:13: [Bridge usb] has no “Description”" },
  { "bridge without name",
    VALID_BOARD VALID_RESET "[Bridge ]\nUsbId=10c4:ea60\nDescription=CP2102\n",
    "my-board.board:13: a bridge group needs a name: [Bridge NAME]" },
  { "unknown layout",
    VALID_BOARD "Layouts=esp32-8mb;esp32-16mb\n" VALID_RESET,
    "my-board.board:10: Layouts: there is no layout named “esp32-16mb”" },
  { "layout larger than the flash",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP32\nFlashSize=4M\n"
    "DefaultBaud=115200\nMaxBaud=921600\nLayouts=esp32-8mb\n" VALID_RESET,
    "my-board.board:9: Layouts: “esp32-8mb” needs 8 MiB of flash, the board has 4 MiB" },
  { "bad reset method",
    VALID_BOARD "[Reset]\nMethod=jumper\n",
    "my-board.board:11: Method “jumper” is not “auto” or “manual”" },
  { "no reset method",
    VALID_BOARD "[Reset]\nPrompt=Press Reset.\n",
    "my-board.board:10: [Reset] has no “Method”" },
  { "no reset group",
    VALID_BOARD VALID_BRIDGE,
    "my-board.board: the [Reset] group is missing" },
  { "a button to hold without its note",
    VALID_BOARD "[Reset]\nMethod=manual\nStep1=Press Reset.\nHoldButton=Power button\n",
    "my-board.board:13: a HoldButton needs its HoldNote: what the user is told while a job runs" },
  { "manual reset without steps",
    VALID_BOARD "[Reset]\nMethod=manual\nPrompt=Press Reset.\n",
    "my-board.board:11: a manual reset needs its steps: Step1=, Step2=…" },
  { "a gap in the steps",
    VALID_BOARD "[Reset]\nMethod=manual\nStep1=Place the jumper.\nStep3=Press Reset.\n",
    "my-board.board:10: “Step2” is missing: steps are numbered 1, 2, 3… without gaps" },
  { "an empty step",
    VALID_BOARD "[Reset]\nMethod=manual\nStep1=\n",
    "my-board.board:12: “Step1” is empty" },
  { "a step numbered with a leading zero",
    VALID_BOARD "[Reset]\nMethod=manual\nStep01=Place the jumper.\n",
    "my-board.board:12: unknown key “Step01” in [Reset]" },
  { "baud not a number",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP32\nFlashSize=8M\n"
    "DefaultBaud=fast\nMaxBaud=921600\n" VALID_RESET,
    "my-board.board:7: DefaultBaud “fast” is not a baud rate from 1200 to 5000000" },
  { "baud too high",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP32\nFlashSize=8M\n"
    "DefaultBaud=115200\nMaxBaud=10000000\n" VALID_RESET,
    "my-board.board:8: MaxBaud “10000000” is not a baud rate from 1200 to 5000000" },
  { "baud zero",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP32\nFlashSize=8M\n"
    "DefaultBaud=0\nMaxBaud=921600\n" VALID_RESET,
    "my-board.board:7: DefaultBaud “0” is not a baud rate from 1200 to 5000000" },
  { "default baud above the maximum",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP32\nFlashSize=8M\n"
    "DefaultBaud=921600\nMaxBaud=115200\n" VALID_RESET,
    "my-board.board:7: DefaultBaud 921600 is above MaxBaud 115200" },
  { "bad flash size",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP32\nFlashSize=3M\n"
    "DefaultBaud=115200\nMaxBaud=921600\n" VALID_RESET,
    "my-board.board:6: FlashSize “3M” is not a flash size: 1, 2, 4, 8, 16, 32, 64 or 128 MiB" },
  { "flash size not a size",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP32\nFlashSize=big\n"
    "DefaultBaud=115200\nMaxBaud=921600\n" VALID_RESET,
    "my-board.board:6: FlashSize “big” is not a flash size: 1, 2, 4, 8, 16, 32, 64 or 128 MiB" },
  { "unknown chip",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nChip=ESP8266\n",
    "my-board.board:5: Chip “ESP8266” is not a chip Flash Studio knows" },
  { "bad id",
    "[Board]\nId=My Board\nName=My board\n",
    "my-board.board:2: Id “My Board” is not 1 to 64 lowercase letters, digits and “-”" },
  { "bad vendor address",
    "[Board]\nId=my-board\nName=My board\nVendor=Me\nVendorUrl=ftp://example.com/board\n",
    "my-board.board:5: VendorUrl “ftp://example.com/board” is not an http:// or https:// address" },
  { "unknown key",
    VALID_BOARD "Nmae=My board\n" VALID_RESET,
    "my-board.board:10: unknown key “Nmae” in [Board]" },
  { "unknown group",
    VALID_BOARD VALID_RESET "[Bridges]\nUsbId=10c4:ea60\n",
    "my-board.board:13: unknown group [Bridges]; the groups are [Board], [Reset], [Bridge NAME] and [Summary]" },
  { "a key set twice",
    "[Board]\nId=my-board\nName=My board\n# the old name\nName=Your board\n",
    "my-board.board:5: “Name” appears twice in [Board]" },
  { "a group twice",
    VALID_BOARD VALID_RESET "[Board]\nVendor=Me\n",
    "my-board.board:13: [Board] appears twice" },
  { "no board group",
    "# nothing here\n" VALID_RESET,
    "my-board.board: the [Board] group is missing" },
  { "not UTF-8",
    "[Board]\nId=my-board\nName=My \xff board\n",
    "my-board.board:3: the file is not UTF-8 text" },
};

static void
test_broken (gconstpointer data)
{
  const BrokenCase *broken = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = parse (broken->text, &error);

  g_assert_null (profile);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, broken->message);
}

/* What GKeyFile itself rejects is in GLib's words, but still at its line */
static void
test_syntax_error_line (void)
{
  const char *text =
    "# My board\n"
    "\n"
    "[Board]\n"
    "Id=my-board\n"
    "this line is not a key\n"
    "Name=My board\n";
  const char *before_group = "Id=my-board\n[Board]\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = parse (text, &error);

  g_assert_null (profile);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "my-board.board:5: "));
  g_clear_error (&error);

  profile = parse (before_group, &error);
  g_assert_null (profile);
  g_assert_true (g_str_has_prefix (error->message, "my-board.board:1: "));
  g_clear_error (&error);

  /* An invalid escape is found when the value is read */
  profile = parse ("[Board]\nId=my-board\nName=My \\q board\n", &error);
  g_assert_null (profile);
  g_assert_true (g_str_has_prefix (error->message, "my-board.board:3: Name: "));
  g_clear_error (&error);

  profile = parse (VALID_BOARD "Layouts=esp32-8mb;\\q\n" VALID_RESET, &error);
  g_assert_null (profile);
  g_assert_true (g_str_has_prefix (error->message, "my-board.board:10: Layouts: "));
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_from_data (NULL, 0, "empty.board", &error);

  g_assert_null (profile);
  g_assert_cmpstr (error->message, ==, "empty.board: the [Board] group is missing");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/board-profile/builtin/list", test_builtin_list);
  g_test_add_func ("/board-profile/builtin/all-load", test_builtin_all_load);
  g_test_add_func ("/board-profile/builtin/unknown", test_builtin_unknown);
  g_test_add_func ("/board-profile/builtin/heltec", test_heltec);
  g_test_add_func ("/board-profile/builtin/fipy", test_fipy);
  g_test_add_func ("/board-profile/builtin/vigotech", test_vigotech);
  g_test_add_func ("/board-profile/builtin/devkit", test_devkit);
  g_test_add_func ("/board-profile/minimal", test_minimal);
  g_test_add_func ("/board-profile/lists-and-crlf", test_lists_and_crlf);
  g_test_add_func ("/board-profile/matches-usb", test_matches_usb);
  g_test_add_func ("/board-profile/syntax-error-line", test_syntax_error_line);
  g_test_add_func ("/board-profile/empty", test_empty);
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/board-profile/broken/%s", broken_cases[i].what);
      g_test_add_data_func (path, &broken_cases[i], test_broken);
    }

  return g_test_run ();
}
