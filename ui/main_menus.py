"""The main window's menus, toolbar and actions, and the right each action needs: a mixin
of :class:`ui.main_window.MainWindow`. The slots live with their areas (the accession,
database, people, backup, demo, spreadsheet and window mixins); this module only builds and
places the actions."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from genebank.users.roles import Right
from ui.history_actions import add_history_actions


class MainMenus:
    """The window provides every slot the actions call, ``menuBar``, ``addToolBar`` and
    ``tr``; it calls :meth:`_build_actions` once."""

    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_database_action = self._action(self.tr("&New database…"), self.new_database,
                                                 "Ctrl+Shift+N")
        self.open_database_action = self._action(self.tr("&Open database…"),
                                                 self.open_database_dialog,
                                                 QKeySequence.StandardKey.Open)
        self.connect_action = self._action(
            self.tr("&Connect to a server…"), self.connect_to_server, None,
            self.tr("Open the Genebank database on a PostgreSQL server shared by several "
                    "workstations"))
        self.backup_action = self._action(self.tr("&Back up database…"), self.backup_database)
        self.template_action = self._action(self.tr("Excel &template…"), self.save_template)
        self.import_action = self._action(self.tr("&Import accessions…"), self.import_accessions,
                                          "Ctrl+I")
        self.export_action = self._action(self.tr("&Export accessions…"), self.export_accessions,
                                          "Ctrl+E")
        self.import_log_action = self._action(self.tr("Import &log"), self.show_import_log)
        quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.new_action = self._action(self.tr("&New accession"), self.new_accession,
                                       QKeySequence.StandardKey.New,
                                       self.tr("Catalogue a new accession"))
        self.edit_action = self._action(self.tr("&Open accession"), self.edit_selected,
                                        None, self.tr("Open the selected accession (Enter)"))
        self.duplicate_action = self._action(
            self.tr("&Duplicate accession"), self.duplicate_selected, "Ctrl+D",
            self.tr("Start a new accession with the selected one's passport data"))
        self.delete_action = self._action(self.tr("De&lete accession…"), self.delete_selected,
                                          QKeySequence.StandardKey.Delete)
        find_action = self._action(self.tr("&Find"), self.focus_search,
                                   QKeySequence.StandardKey.Find)
        refresh_action = self._action(self.tr("&Refresh"), self.refresh,
                                      QKeySequence.StandardKey.Refresh)
        self.attention_action = self._action(
            self.tr("Needs &attention"), self.show_attention, "Ctrl+Shift+A",
            self.tr("Lots due for a test, to regenerate, below minimum; accessions without a "
                    "base lot or a safety duplicate"))
        self.import_tests_action = self._action(
            self.tr("&Import tests…"), self.import_tests, None,
            self.tr("Germination or moisture tests from a laboratory's Excel sheet"))
        self.tests_template_action = self._action(self.tr("Tests &template…"),
                                                  self.save_tests_template)
        self.locations_action = self._action(self.tr("&Storage locations…"),
                                             self.show_storage_locations)
        self.own_institutes_action = self._action(
            self.tr("&Own institute codes…"), self.show_own_institutes, None,
            self.tr("The codes under which this gene bank holds its accessions: an import "
                    "flags rows held by others"))
        self.rules_action = self._action(
            self.tr("&Rules…"), self.show_rules, None,
            self.tr("Test intervals, minimum stock and moisture range, per crop"))
        self.training_action = self._action(
            self.tr("Open &training programme…"), self.show_training, "Ctrl+T",
            self.tr("Courses, participants, attendance, certificates and reports"))
        self.demo_action = self._action(
            self.tr("Load &demo collection…"), self.load_demo, None,
            self.tr("Create a demo collection in a database of its own and open it"))
        self.remove_demo_action = self._action(
            self.tr("&Remove demo records…"), self.remove_demo_records, None,
            self.tr("Count, then remove, demo records loaded into this database"))
        self.back_action = self._action(self.tr("Bac&k to your database"),
                                        self.back_to_own_database)
        about_action = self._action(self.tr("&About Genebank"), self.about)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addActions([self.new_database_action, self.open_database_action,
                              self.connect_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.back_action)
        file_menu.addSeparator()
        file_menu.addActions([self.template_action, self.import_action, self.export_action,
                              self.import_log_action])
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        file_menu.setToolTipsVisible(True)
        accession_menu = self.menuBar().addMenu(self.tr("&Accession"))
        accession_menu.addActions([self.new_action, self.edit_action, self.duplicate_action])
        accession_menu.addSeparator()
        accession_menu.addAction(self.delete_action)
        accession_menu.addSeparator()
        accession_menu.addAction(self.own_institutes_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addActions([find_action, refresh_action])
        conservation_menu = self.menuBar().addMenu(self.tr("&Conservation"))
        conservation_menu.addAction(self.attention_action)
        conservation_menu.addSeparator()
        conservation_menu.addActions([self.import_tests_action, self.tests_template_action])
        conservation_menu.addSeparator()
        conservation_menu.addActions([self.locations_action, self.rules_action])
        training_menu = self.menuBar().addMenu(self.tr("&Training"))
        training_menu.addAction(self.training_action)
        self.help_menu = help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addActions([self.demo_action, self.remove_demo_action])
        help_menu.addSeparator()
        help_menu.addAction(about_action)
        self._build_people_actions(file_menu, quit_action)
        add_history_actions(self)
        for menu in (accession_menu, conservation_menu, help_menu):
            menu.setToolTipsVisible(True)  # a disabled action says why
        self.rights = {
            self.new_action: Right.CHANGE_PASSPORT, self.duplicate_action: Right.CHANGE_PASSPORT,
            self.delete_action: Right.DELETE_RECORDS, self.import_action: Right.CHANGE_PASSPORT,
            self.own_institutes_action: Right.MANAGE_SETTINGS,
            self.import_tests_action: Right.CHANGE_CONSERVATION,
            self.locations_action: Right.CHANGE_CONSERVATION,
            self.rules_action: Right.MANAGE_SETTINGS,
            self.remove_demo_action: Right.DELETE_RECORDS}
        self._build_withdrawal_actions(accession_menu, self.delete_action)

        toolbar = QToolBar(self.tr("Accessions"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addActions([self.new_action, self.edit_action, self.duplicate_action,
                            self.delete_action])
        toolbar.addSeparator()
        toolbar.addAction(self.attention_action)
        self.addToolBar(toolbar)
