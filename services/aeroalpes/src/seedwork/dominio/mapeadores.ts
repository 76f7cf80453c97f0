/** Maps between a domain object and an external representation (DTO, persisted document). */
export interface Mapeador<TExterno, TEntidad> {
  externoAEntidad(externo: TExterno): TEntidad;
  entidadAExterno(entidad: TEntidad): TExterno;
}
