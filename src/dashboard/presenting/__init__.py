"""What leaves the dashboard: exports, the analysts' folder, the board pack, meeting agendas, the palette and the
view in a link."""
