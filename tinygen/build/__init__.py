"""Generated project -> firmware binary: the compiler run, the ELF's flash and RAM, image formats."""
