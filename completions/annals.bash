# bash completion for annals: commands, each command's options, its --format
# values, and words from the database (--db FILE on the command line, else
# annals.db): ids for show and log, --actor, --region and --source; the types, tags
# and roles in use for --type, --tag and --role. The words come from the
# hidden command `annals complete`, so they follow the binary being completed.
_annals()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local annals=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} db=annals.db i w
    annals=${annals/#\~/$HOME}
    # bash splits --opt=value at '=': complete the value as after --opt.
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = && $COMP_CWORD -ge 3 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi

    if [[ $COMP_CWORD -eq 1 ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$("$annals" complete commands 2>/dev/null) help" -- "$cur")
        fi
        return
    fi
    for ((i = 2; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == --db || $w == -d ]]; then
            db=${COMP_WORDS[i+1]}
            [[ $db == = ]] && db=${COMP_WORDS[i+2]}
        elif [[ $w == --db=* ]]; then    # when '=' is not in COMP_WORDBREAKS
            db=${w#--db=}
        fi
    done
    db=${db/#\~/$HOME}

    local words=
    case $prev in
        --format|-f) words=$("$annals" complete formats "$cmd" 2>/dev/null) ;;
        --actor|-a) words=$("$annals" complete actors --db "$db" 2>/dev/null) ;;
        --region|-r) words=$("$annals" complete places --db "$db" 2>/dev/null) ;;
        --source) words=$("$annals" complete sources --db "$db" 2>/dev/null) ;;
        --type|-t) words=$("$annals" complete types --db "$db" 2>/dev/null) ;;
        --tag) words=$("$annals" complete tags --db "$db" 2>/dev/null) ;;
        --role) words=$("$annals" complete roles --db "$db" 2>/dev/null) ;;
        --lanes) words="actor region" ;;
        --db|-d|--output|-o)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return ;;
        --from|--to|--text|-s|--limit|-n|--title|--host|--port|-p|--editor)
            COMPREPLY=()
            return ;;
        *)
            if [[ $cur == -* ]]; then
                words=$("$annals" complete options "$cmd" 2>/dev/null)
            elif [[ $cmd == help ]]; then
                [[ $COMP_CWORD -eq 2 ]] && words=$("$annals" complete commands 2>/dev/null)
            elif [[ $cmd == new ]]; then
                words="event actor place source"
            elif [[ $cmd == date ]]; then
                COMPREPLY=()     # dates to read: nothing to offer
                return
            elif [[ $cmd == show || $cmd == log ]] && [[ $prev != -* ]] && ! _annals_has_positional; then
                words=$("$annals" complete ids --db "$db" 2>/dev/null)
            elif [[ $cmd == diff ]]; then
                # Datasets, databases (any file) and directories; git revisions.
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -- "$cur"
                    compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null) HEAD" -- "$cur")
                return
            else
                # Dataset paths: YAML files and directories.
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -X '!*.yaml' -- "$cur"
                                         compgen -f -X '!*.yml' -- "$cur"
                                         compgen -d -- "$cur")
                return
            fi ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

# True when a word before the current one is a positional argument, not an
# option or the value of --db (show's only option): show takes the id
# first, then paths.
_annals_has_positional()
{
    local i w
    for ((i = 2; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --db|-d) ((i++)); [[ ${COMP_WORDS[i]} == = ]] && ((i++)) ;;
            -*|=) ;;
            *) [[ ${COMP_WORDS[i-1]} == = ]] || return 0 ;;
        esac
    done
    return 1
}

complete -F _annals annals
