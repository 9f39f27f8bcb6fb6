/* test-port-discovery.c: USB serial ports coming and going, on mock USB
 *
 * umockdev makes USB serial bridges appear and disappear; discovery sees
 * them through libudev as it would see real ones. Run under
 * umockdev-wrapper; skipped without it. The remembered choices go to a
 * temporary XDG_CONFIG_HOME.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <umockdev.h>

#include "fs-device-record.h"
#include "fs-error.h"
#include "fs-port-discovery.h"

/* A hang guard only, never a measure: a healthy run takes milliseconds */
#define WAIT_LIMIT_S 10

typedef struct {
  const char *bus;       /* "1-1" */
  const char *tty;       /* "ttyUSB0" */
  const char *vid;
  const char *pid;
  const char *serial;
  const char *manufacturer;
  const char *product;
} FakeBridge;

static const FakeBridge cp2102 = {
  "1-1", "ttyUSB0", "10c4", "ea60", "0001", "Silicon Labs", "CP2102 USB to UART Bridge Controller"
};
static const FakeBridge ft234xd = {
  "1-2", "ttyUSB1", "0403", "6015", "DN05J1AB", "FTDI", "FT234XD"
};
static const FakeBridge unknown = {
  "1-3", "ttyUSB2", "1234", "5678", NULL, NULL, NULL
};

/* The kernel's layout, see /work/shared/notes/serial-ports-in-tests.md:
 * USB device, interface, usb-serial port, tty */
static char *
add_bridge (UMockdevTestbed  *testbed,
            const FakeBridge *bridge)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_string_append_printf (text, "P: /devices/pci0000:00/usb1/%s\n"
                                "E: SUBSYSTEM=usb\n"
                                "E: DEVTYPE=usb_device\n"
                                "A: idVendor=%s\n"
                                "A: idProduct=%s\n",
                          bridge->bus, bridge->vid, bridge->pid);
  if (bridge->serial != NULL)
    g_string_append_printf (text, "A: serial=%s\n", bridge->serial);
  if (bridge->manufacturer != NULL)
    g_string_append_printf (text, "A: manufacturer=%s\n", bridge->manufacturer);
  if (bridge->product != NULL)
    g_string_append_printf (text, "A: product=%s\n", bridge->product);
  g_string_append_printf (text, "A: busnum=1\n"
                                "A: devnum=5\n"
                                "\n"
                                "P: /devices/pci0000:00/usb1/%s/%s:1.0\n"
                                "E: SUBSYSTEM=usb\n"
                                "E: DEVTYPE=usb_interface\n"
                                "\n"
                                "P: /devices/pci0000:00/usb1/%s/%s:1.0/%s\n"
                                "E: SUBSYSTEM=usb-serial\n"
                                "\n"
                                "P: /devices/pci0000:00/usb1/%s/%s:1.0/%s/tty/%s\n"
                                "N: %s\n"
                                "E: DEVNAME=/dev/%s\n"
                                "E: SUBSYSTEM=tty\n"
                                "L: device=../../../%s\n",
                          bridge->bus, bridge->bus,
                          bridge->bus, bridge->bus, bridge->tty,
                          bridge->bus, bridge->bus, bridge->tty, bridge->tty,
                          bridge->tty, bridge->tty, bridge->tty);
  umockdev_testbed_add_from_string (testbed, text->str, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("/sys/devices/pci0000:00/usb1/%s/%s:1.0/%s/tty/%s",
                          bridge->bus, bridge->bus, bridge->tty, bridge->tty);
}

/* A UART on the mainboard: a tty, but not on USB */
static void
add_onboard_uart (UMockdevTestbed *testbed)
{
  g_autoptr(GError) error = NULL;

  umockdev_testbed_add_from_string (testbed,
                                    "P: /devices/platform/serial8250/tty/ttyS0\n"
                                    "N: ttyS0\n"
                                    "E: DEVNAME=/dev/ttyS0\n"
                                    "E: SUBSYSTEM=tty\n", &error);
  g_assert_no_error (error);
}

static gboolean
on_wait_limit (gpointer user_data)
{
  g_error ("discovery did not report the change within %d s", WAIT_LIMIT_S);
  return G_SOURCE_REMOVE;
}

static void
wait_for_n_items (FsPortDiscovery *discovery,
                  guint            n)
{
  guint limit = g_timeout_add_seconds (WAIT_LIMIT_S, on_wait_limit, NULL);

  while (g_list_model_get_n_items (G_LIST_MODEL (discovery)) != n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (limit);
}

static FsPortInfo *
get_port (FsPortDiscovery *discovery,
          guint            position)
{
  g_autoptr(FsPortInfo) port = g_list_model_get_item (G_LIST_MODEL (discovery), position);

  g_assert_nonnull (port);
  /* The model keeps its own reference */
  return port;
}

static void
assert_profiles (FsPortInfo  *port,
                 const char **ids)
{
  GPtrArray *profiles = fs_port_info_get_profiles (port);
  g_autoptr(GString) found = g_string_new (NULL);
  g_autofree char *expected = g_strjoinv (" ", (char **) ids);

  for (guint i = 0; i < profiles->len; i++)
    {
      if (i > 0)
        g_string_append_c (found, ' ');
      g_string_append (found, fs_board_profile_get_id (g_ptr_array_index (profiles, i)));
    }
  g_assert_cmpstr (found->str, ==, expected);
}

static FsPortDiscovery *
start_discovery (void)
{
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (NULL);
  g_autoptr(FsPortDiscovery) discovery = fs_port_discovery_new (catalog);
  g_autoptr(GError) error = NULL;

  fs_port_discovery_start (discovery, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&discovery);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static UMockdevTestbed *
mock_testbed_new (void)
{
  /* Before any monitor, and before asking whether the preload is there */
  UMockdevTestbed *testbed = umockdev_testbed_new ();

  if (!umockdev_in_mock_environment ())
    {
      g_test_skip ("needs umockdev-wrapper");
      g_object_unref (testbed);
      return NULL;
    }
  return testbed;
}

static void
test_hotplug (void)
{
  g_autoptr(UMockdevTestbed) testbed = mock_testbed_new ();
  g_autoptr(FsPortDiscovery) discovery = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *cp2102_path = NULL;
  g_autofree char *ft234xd_path = NULL;
  const char *cp2102_boards[] = { "esp32-devkit", "heltec-wifi-kit-32", NULL };
  const char *fipy[] = { "pycom-fipy", NULL };
  FsPortInfo *port;

  if (testbed == NULL)
    return;
  discovery = start_discovery ();
  g_signal_connect (discovery, "items-changed", G_CALLBACK (on_items_changed), log);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (discovery)) == FS_TYPE_PORT_INFO);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 0);

  /* A CP2102 is on many boards: the user will have to say which */
  cp2102_path = add_bridge (testbed, &cp2102);
  umockdev_testbed_uevent (testbed, cp2102_path, "add");
  wait_for_n_items (discovery, 1);
  port = get_port (discovery, 0);
  g_assert_cmpint (fs_port_info_get_kind (port), ==, FS_PORT_KIND_USB);
  g_assert_cmpstr (fs_port_info_get_name (port), ==, "/dev/ttyUSB0");
  g_assert_cmpstr (fs_port_info_get_syspath (port), ==, cp2102_path);
  g_assert_cmphex (fs_port_info_get_vid (port), ==, 0x10c4);
  g_assert_cmphex (fs_port_info_get_pid (port), ==, 0xea60);
  g_assert_cmpstr (fs_port_info_get_serial (port), ==, "0001");
  g_assert_cmpstr (fs_port_info_get_manufacturer (port), ==, "Silicon Labs");
  g_assert_cmpstr (fs_port_info_get_product (port), ==, "CP2102 USB to UART Bridge Controller");
  assert_profiles (port, cp2102_boards);
  g_assert_null (fs_port_info_get_profile (port));
  g_assert_null (fs_port_info_get_access_problem (port));

  /* The FiPy's expansion board: one candidate, taken */
  ft234xd_path = add_bridge (testbed, &ft234xd);
  umockdev_testbed_uevent (testbed, ft234xd_path, "add");
  wait_for_n_items (discovery, 2);
  port = get_port (discovery, 1);
  g_assert_cmpstr (fs_port_info_get_name (port), ==, "/dev/ttyUSB1");
  assert_profiles (port, fipy);
  g_assert_cmpstr (fs_board_profile_get_id (fs_port_info_get_profile (port)), ==, "pycom-fipy");

  /* Unplugged */
  umockdev_testbed_uevent (testbed, cp2102_path, "remove");
  umockdev_testbed_remove_device (testbed, cp2102_path);
  wait_for_n_items (discovery, 1);
  g_assert_cmpstr (fs_port_info_get_name (get_port (discovery, 0)), ==, "/dev/ttyUSB1");

  /* The removal, as one change (umockdev may send an add twice, which
   * only replaces the port in place) */
  g_assert_true (g_str_has_suffix (log->str, " 0-1+0 "));
}

static void
test_enumerate_at_start (void)
{
  g_autoptr(UMockdevTestbed) testbed = mock_testbed_new ();
  g_autoptr(FsPortDiscovery) discovery = NULL;
  g_autofree char *unknown_path = NULL;
  g_autofree char *cp2102_path = NULL;
  const char *none[] = { NULL };
  FsPortInfo *port;

  if (testbed == NULL)
    return;
  add_onboard_uart (testbed);
  unknown_path = add_bridge (testbed, &unknown);
  cp2102_path = add_bridge (testbed, &cp2102);

  /* Listed at once, by name; ttyS0 is not on USB and left out */
  discovery = start_discovery ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 2);
  g_assert_cmpstr (fs_port_info_get_name (get_port (discovery, 0)), ==, "/dev/ttyUSB0");
  g_assert_null (fs_port_discovery_lookup (discovery, "/dev/ttyS0"));

  /* A bridge no profile names: a serial port of unknown kind */
  port = get_port (discovery, 1);
  g_assert_true (fs_port_discovery_lookup (discovery, "/dev/ttyUSB2") == port);
  g_assert_cmphex (fs_port_info_get_vid (port), ==, 0x1234);
  g_assert_cmphex (fs_port_info_get_pid (port), ==, 0x5678);
  g_assert_null (fs_port_info_get_serial (port));
  g_assert_null (fs_port_info_get_manufacturer (port));
  g_assert_null (fs_port_info_get_product (port));
  assert_profiles (port, none);
  g_assert_null (fs_port_info_get_profile (port));
}

/* Root opens any node whatever its mode: drop, from this thread's
 * effective set, the capabilities that let it (they stay permitted, so
 * they can be taken back). Returns the set to restore. */
static struct __user_cap_data_struct *
drop_dac_override (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct *saved = g_new0 (struct __user_cap_data_struct, 2);
  struct __user_cap_data_struct data[2];

  g_assert_cmpint (syscall (SYS_capget, &header, saved), ==, 0);
  memcpy (data, saved, sizeof data);
  data[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
  g_assert_cmpint (syscall (SYS_capset, &header, data), ==, 0);
  return saved;
}

static void
restore_capabilities (struct __user_cap_data_struct *saved)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };

  g_assert_cmpint (syscall (SYS_capset, &header, saved), ==, 0);
  g_free (saved);
}

static void
test_no_access (void)
{
  g_autoptr(UMockdevTestbed) testbed = mock_testbed_new ();
  g_autoptr(FsPortDiscovery) discovery = NULL;
  g_autofree char *root = NULL;
  g_autofree char *node = NULL;
  g_autofree char *cp2102_path = NULL;
  g_autofree char *expected = NULL;
  g_autofree struct __user_cap_data_struct *saved = NULL;
  struct stat st;
  struct group *group;
  FsPortInfo *port;

  if (testbed == NULL)
    return;
  cp2102_path = add_bridge (testbed, &cp2102);

  /* The node as the preload serves it, made unreadable to all */
  root = umockdev_testbed_get_root_dir (testbed);
  node = g_build_filename (root, "dev", "ttyUSB0", NULL);
  g_assert_cmpint (g_chmod (node, 0), ==, 0);
  /* Owned by the group Debian gives serial ports, where there is one and
   * this user may hand the node to it */
  group = getgrnam ("dialout");
  if (group != NULL && chown (node, -1, group->gr_gid) != 0)
    g_test_message ("the node stays in its group: %s", g_strerror (errno));
  g_assert_cmpint (g_stat ("/dev/ttyUSB0", &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0);
  group = getgrgid (st.st_gid);

  saved = drop_dac_override ();
  discovery = start_discovery ();
  restore_capabilities (g_steal_pointer (&saved));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 1);
  port = get_port (discovery, 0);
  if (group != NULL)
    expected = g_strdup_printf ("You may not open /dev/ttyUSB0: add yourself to the “%s” group "
                                "(sudo usermod -aG %s $USER, then log in again), or install Flash Studio's "
                                "udev rule (it grants the logged-in user access)", group->gr_name, group->gr_name);
  else
    expected = g_strdup ("You may not open /dev/ttyUSB0: install Flash Studio's udev rule (it grants the "
                         "logged-in user access)");
  g_assert_cmpstr (fs_port_info_get_access_problem (port), ==, expected);
}

static void
test_remembered_choice (void)
{
  g_autoptr(UMockdevTestbed) testbed = mock_testbed_new ();
  g_autoptr(FsPortDiscovery) discovery = NULL;
  g_autoptr(FsPortDiscovery) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cp2102_path = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *choices = g_build_filename (g_get_user_config_dir (), "flash-studio", "port-choices.ini", NULL);
  FakeBridge other = cp2102;
  FsPortInfo *port;

  if (testbed == NULL)
    return;
  cp2102_path = add_bridge (testbed, &cp2102);
  discovery = start_discovery ();
  port = get_port (discovery, 0);
  g_assert_null (fs_port_info_get_profile (port));

  /* A board that does not exist */
  g_assert_false (fs_port_discovery_choose_profile (discovery, port, "no-such-board", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "There is no board “no-such-board” (“flash-studio-cli boards” lists them)");
  g_clear_error (&error);
  g_assert_false (g_file_test (choices, G_FILE_TEST_EXISTS));

  g_assert_true (fs_port_discovery_choose_profile (discovery, port, "esp32-devkit", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fs_board_profile_get_id (fs_port_info_get_profile (port)), ==, "esp32-devkit");
  g_assert_true (g_file_test (choices, G_FILE_TEST_IS_REGULAR));

  /* Remembered for that serial number, by a later run */
  later = start_discovery ();
  g_assert_cmpstr (fs_board_profile_get_id (fs_port_info_get_profile (get_port (later, 0))), ==, "esp32-devkit");

  /* Another CP2102, with its own serial number, is still to be chosen */
  other.bus = "1-4";
  other.tty = "ttyUSB3";
  other.serial = "0002";
  other_path = add_bridge (testbed, &other);
  umockdev_testbed_uevent (testbed, other_path, "add");
  wait_for_n_items (later, 2);
  port = fs_port_discovery_lookup (later, "/dev/ttyUSB3");
  g_assert_nonnull (port);
  g_assert_null (fs_port_info_get_profile (port));
}

/* A board back after an unplug: found by its bridge and serial number
 * wherever its node is, or by its node when the bridge has no serial */
static void
test_same_board (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(FsPortInfo) gone = fs_port_info_new_usb ("/dev/ttyUSB0", "/sys/a", 0x10C4, 0xEA60, "0001A2B3",
                                                     NULL, NULL, none);
  g_autoptr(FsPortInfo) moved = fs_port_info_new_usb ("/dev/ttyUSB1", "/sys/b", 0x10C4, 0xEA60, "0001A2B3",
                                                      NULL, NULL, none);
  g_autoptr(FsPortInfo) other = fs_port_info_new_usb ("/dev/ttyUSB0", "/sys/c", 0x10C4, 0xEA60, "0009Z9Z9",
                                                      NULL, NULL, none);
  g_autoptr(FsPortInfo) other_bridge = fs_port_info_new_usb ("/dev/ttyUSB1", "/sys/d", 0x1A86, 0x7523, "0001A2B3",
                                                             NULL, NULL, none);
  g_autoptr(FsPortInfo) no_serial = fs_port_info_new_usb ("/dev/ttyUSB2", "/sys/e", 0x1A86, 0x7523, NULL,
                                                          NULL, NULL, none);
  g_autoptr(FsPortInfo) no_serial_same_node = fs_port_info_new_usb ("/dev/ttyUSB2", "/sys/f", 0x1A86, 0x7523, "",
                                                                    NULL, NULL, none);
  g_autoptr(FsPortInfo) no_serial_moved = fs_port_info_new_usb ("/dev/ttyUSB3", "/sys/g", 0x1A86, 0x7523, NULL,
                                                                NULL, NULL, none);
  g_autoptr(FsPortInfo) virtual_board = fs_port_info_new_virtual ("heltec-wifi-kit-32", NULL);
  g_autoptr(FsPortInfo) virtual_again = fs_port_info_new_virtual ("heltec-wifi-kit-32", NULL);

  g_assert_true (fs_port_info_is_same_board (gone, moved));
  g_assert_false (fs_port_info_is_same_board (gone, other));
  g_assert_false (fs_port_info_is_same_board (gone, other_bridge));
  g_assert_true (fs_port_info_is_same_board (no_serial, no_serial_same_node));
  g_assert_false (fs_port_info_is_same_board (no_serial, no_serial_moved));
  g_assert_false (fs_port_info_is_same_board (no_serial, virtual_board));
  /* A USB port's MAC is known once the board is identified, not before */
  g_assert_null (fs_port_info_get_mac (gone));
  g_assert_true (fs_port_info_is_same_board (virtual_board, virtual_again));
}

/* The names of the listed ports, in order */
static char *
list_names (FsPortDiscovery *discovery)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (discovery)); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? " " : "", fs_port_info_get_name (get_port (discovery, i)));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* A virtual board for every profile, each with a MAC of its own */
static void
test_virtual_board (void)
{
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (NULL);
  g_autoptr(FsPortDiscovery) discovery = fs_port_discovery_new (catalog);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GHashTable) macs = g_hash_table_new (g_str_hash, g_str_equal);
  const char *heltec[] = { "heltec-wifi-kit-32", NULL };
  g_autofree char *names = NULL;
  FsPortInfo *port;

  g_signal_connect (discovery, "items-changed", G_CALLBACK (on_items_changed), log);
  g_assert_false (fs_port_discovery_get_virtual_board_enabled (discovery));
  g_assert_cmpstr (fs_port_discovery_get_virtual_board_id (discovery), ==, "heltec-wifi-kit-32");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 0);

  g_object_set (discovery, "virtual-board-enabled", TRUE, NULL);
  names = list_names (discovery);
  /* The preferred first, then by the profiles' names */
  g_assert_cmpstr (names, ==, "sim:heltec-wifi-kit-32 sim:esp32-devkit sim:pycom-fipy sim:vigotech-vg-l7x");
  port = get_port (discovery, 0);
  g_assert_cmpint (fs_port_info_get_kind (port), ==, FS_PORT_KIND_VIRTUAL);
  g_assert_null (fs_port_info_get_syspath (port));
  assert_profiles (port, heltec);
  g_assert_cmpstr (fs_board_profile_get_id (fs_port_info_get_profile (port)), ==, "heltec-wifi-kit-32");
  for (guint i = 0; i < 4; i++)
    {
      const char *mac = fs_port_info_get_mac (get_port (discovery, i));

      g_assert_true (fs_device_mac_is_valid (mac));
      g_assert_true (g_str_has_prefix (mac, "24:0a:c4:"));
      g_assert_true (g_hash_table_add (macs, (gpointer) mac));
    }
  /* Stable: the same board has the same MAC in another list */
  g_assert_cmpstr (fs_port_info_get_mac (get_port (discovery, 0)), ==,
                   fs_port_info_get_mac (fs_port_discovery_lookup (discovery, "sim:heltec-wifi-kit-32")));

  g_object_set (discovery, "virtual-board-id", "pycom-fipy", NULL);
  g_clear_pointer (&names, g_free);
  names = list_names (discovery);
  g_assert_cmpstr (names, ==, "sim:pycom-fipy sim:esp32-devkit sim:heltec-wifi-kit-32 sim:vigotech-vg-l7x");
  g_assert_nonnull (fs_port_discovery_lookup (discovery, "sim:vigotech-vg-l7x"));
  g_assert_null (fs_port_discovery_lookup (discovery, "sim:no-such-board"));

  fs_port_discovery_set_virtual_board_enabled (discovery, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 0);
  g_assert_cmpstr (log->str, ==, "0-0+4 0-4+4 0-4+0 ");
}

/* Whoever installs the rule can open every board Flash Studio ships */
static void
test_udev_rule_covers_shipped_bridges (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "udev", "60-flash-studio.rules", NULL);
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (NULL);
  GPtrArray *profiles = fs_board_catalog_get_profiles (catalog);
  g_autoptr(GError) error = NULL;
  g_autofree char *rules = NULL;

  g_file_get_contents (path, &rules, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < profiles->len; i++)
    {
      FsBoardProfile *profile = g_ptr_array_index (profiles, i);

      for (guint j = 0; j < fs_board_profile_get_n_bridges (profile); j++)
        {
          const FsUsbBridge *bridge = fs_board_profile_get_bridge (profile, j);
          g_autofree char *rule = g_strdup_printf ("ATTRS{idVendor}==\"%04x\", ATTRS{idProduct}==\"%04x\", TAG+=\"uaccess\"\n",
                                                   bridge->vid, bridge->pid);

          if (strstr (rules, rule) == NULL)
            g_error ("%s: no rule for %s's bridge %s (%04x:%04x)", path,
                     fs_board_profile_get_id (profile), bridge->description, bridge->vid, bridge->pid);
        }
    }
}

/* What the tests leave in the configuration folder */
static void
remove_config_home (const char *config_home)
{
  g_autofree char *dir = g_build_filename (config_home, "flash-studio", NULL);
  g_autofree char *choices = g_build_filename (dir, "port-choices.ini", NULL);

  g_remove (choices);
  g_rmdir (dir);
  g_assert_cmpint (g_rmdir (config_home), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config_home = g_dir_make_tmp ("fs-port-discovery-XXXXXX", NULL);
  int status;

  g_assert_nonnull (config_home);
  /* Before GLib reads it for the first time */
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/port-discovery/hotplug", test_hotplug);
  g_test_add_func ("/port-discovery/enumerate-at-start", test_enumerate_at_start);
  g_test_add_func ("/port-discovery/no-access", test_no_access);
  g_test_add_func ("/port-discovery/remembered-choice", test_remembered_choice);
  g_test_add_func ("/port-discovery/virtual-board", test_virtual_board);
  g_test_add_func ("/port-discovery/same-board", test_same_board);
  g_test_add_func ("/port-discovery/udev-rule-covers-shipped-bridges", test_udev_rule_covers_shipped_bridges);

  status = g_test_run ();
  remove_config_home (config_home);
  return status;
}
